// ESLint comparison for the action-lint benchmark. Run from a site's root:
//   npx --prefix bench/eslint eslint --config bench/eslint/eslint.config.mjs .
// Lints the same files ripgrep and action-lint read (JS, and HTML through
// eslint-plugin-html), with only the local name-check rule enabled.
import html from "eslint-plugin-html";
import talkative from "./plugin/index.js";

export default [
  {
    files: ["**/*.js", "**/*.mjs", "**/*.cjs", "**/*.jsx", "**/*.html", "**/*.htm"],
    plugins: { html, talkative },
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    linterOptions: { reportUnusedDisableDirectives: "off" },
    rules: { "talkative/action-names": "error" },
  },
  {
    files: ["**/*.html", "**/*.htm"],
    languageOptions: { sourceType: "script" },
  },
];
