// ESLint: TypeScript's recommended rules, Pulumi's rules against Outputs in template strings
// (they print "Calling [toString] on an Output<T> is not supported" instead of the value), and
// no floating promises (an un-awaited promise in a program can fail after the engine moved on).
import eslint from "@eslint/js";
import pulumi from "@pulumi/eslint-plugin";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["**/node_modules/**", "bin/**", "build/**", "test/fixtures/**", "**/*.js", "**/*.mjs"] },
    {
        files: ["**/*.ts"],
        extends: [eslint.configs.recommended, ...tseslint.configs.recommended],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        plugins: { "@pulumi": pulumi },
        rules: {
            "@pulumi/no-output-in-template-literal": "error",
            "@pulumi/no-output-instance-in-template-literal": "error",
            "@typescript-eslint/no-floating-promises": "error",
            // Recorded engine requests and chart values are untyped JSON; `any` is their honest type.
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        },
    },
);
