import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/",
      "node_modules/",
      "bench/results/",
      "bench/.plain-dist/",
      "bench/.playground-ref-dist/",
      "bench/.matmul-ref-dist/",
      "tests/unit/golden/",
      "public/",
      ".probe/",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["tests/**", "bench/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
);
