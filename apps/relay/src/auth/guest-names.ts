import { randomInt } from "node:crypto";

const ADJECTIVES = ["Amber", "Brisk", "Calm", "Dusky", "Eager", "Fuzzy", "Gentle", "Hazel", "Idle", "Jolly", "Keen", "Lucky", "Mossy", "Nimble", "Olive", "Plucky", "Quiet", "Rusty", "Sunny", "Tidy", "Umber", "Vivid", "Witty", "Zesty"];
const ANIMALS = ["Otter", "Heron", "Lynx", "Badger", "Finch", "Gecko", "Ibis", "Koala", "Lemur", "Marten", "Newt", "Okapi", "Puffin", "Quail", "Raven", "Stoat", "Tapir", "Vole", "Wren", "Yak"];

/** A friendly random guest name such as `QuietOtter42`; always a valid guest name. */
export function randomGuestName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}${ANIMALS[randomInt(ANIMALS.length)]}${randomInt(10, 100)}`;
}
