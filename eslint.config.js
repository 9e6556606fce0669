// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";

/** Layering: packages never import apps; the client never imports relay code and vice versa. */
const layering = (/** @type {string[]} */ forbidden, /** @type {string} */ why) => ({
  "no-restricted-imports": ["error", { patterns: forbidden.map((group) => ({ group: [group], message: why })) }],
});

export default tseslint.config(
  { ignores: ["**/node_modules/**", "dist/**", "test-results/**", "playwright-report/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      eqeqeq: ["error", "smart"],
    },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["packages/**"],
    rules: layering(["**/apps/**", "@tessera/relay*", "@tessera/client*"], "packages/ are framework-free cores: they never import apps/."),
  },
  {
    files: ["apps/client/**"],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...layering(["**/relay/**", "@tessera/relay*"], "The client never imports relay code: share it through packages/."),
    },
  },
  {
    files: ["apps/relay/**"],
    rules: layering(["**/client/**", "@tessera/client*"], "The relay never imports client code: share it through packages/."),
  },
);
