import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { exposeWorldHook } from "../qa/world-hook.ts";
import { Gallery } from "./Gallery.tsx";
import "../styles.css";

exposeWorldHook();
const root = document.getElementById("root");
if (!root) throw new Error("gallery.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <Gallery />
  </StrictMode>,
);
