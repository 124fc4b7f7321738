import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "**/dist/**",
      "node_modules/**",
      "test/__generated__/**",
      "coverage/**",
      ".state/**",
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ["*.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      curly: ["error", "all"],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Resolver classes and decorators are consumed by type-graphql, not called directly.
      "@typescript-eslint/no-extraneous-class": "off",
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Use named exports." },
      ],
    },
  },
  {
    files: ["*.mjs", "*.mts", "examples/**/*.mts"],
    rules: { "no-restricted-syntax": "off" },
  },
  // The layers: each folder imports only what is below it (see layerRules).
  ...layerRules(),
  {
    // The benchmark and the start smoke are plain ES modules run by Node without a build: lint them
    // without type information.
    files: ["test/bench/**/*.mjs", "test/start/**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false },
      globals: {
        process: "readonly",
        console: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        AbortSignal: "readonly",
        fetch: "readonly",
        Buffer: "readonly",
        performance: "readonly",
      },
    },
  },
);

/**
 * What each layer of src/ may not import. From the bottom: domain (pure rules and types), upstream
 * (the HTTP client to Glance), service (the members operations), graphql (schema and resolvers),
 * telemetry (metrics and traces, beside them), server (HTTP server, Apollo), and app.ts / index.ts
 * assembling them. The emulator stands apart:
 * it shares nothing with the gateway, so that it emulates Glance rather than the gateway's idea of
 * it. Relative paths are matched by folder name, which is unique under src/.
 */
function layerRules() {
  const graphql = {
    // graphql, graphql/*, type-graphql, graphql-scalars, graphql-jit, @apollo/*, @graphql-tools/*.
    regex: "^((type-)?graphql(-[a-z]+)?|@apollo/.+|@graphql-tools/.+)(/.*)?$",
    message: "GraphQL belongs to src/graphql/ and src/server/.",
  };
  const http = {
    regex: "^(node:)?(https?|http2)$|^undici(/.*)?$",
    message: "Upstream HTTP belongs to src/upstream/; other layers reach it through the members API.",
  };
  /** @param {string[]} folders */
  const above = (...folders) => ({
    regex: `^(\\.\\./)+(${folders.join("|")})(/|\\.js$)`,
    message: "A layer imports only the layers below it.",
  });
  /**
   * @param {string[]} files
   * @param {Array<{ regex: string; message: string }>} patterns
   */
  const restrict = (files, ...patterns) => ({
    files,
    rules: { "no-restricted-imports": ["error", { patterns }] },
  });
  return [
    restrict(["src/domain/**/*.ts"], graphql, http, {
      regex: "^\\.\\./",
      message: "src/domain/ is pure: it imports nothing of the other layers.",
    }),
    restrict(
      ["src/upstream/**/*.ts"],
      graphql,
      above("identity", "service", "graphql", "server", "emulator", "app", "index", "config", "telemetry"),
    ),
    // Metrics and traces: they watch the upstream through its observer interface and the server
    // through the values it hands them; no GraphQL, no HTTP of their own.
    restrict(
      ["src/telemetry/**/*.ts"],
      graphql,
      http,
      above("identity", "service", "graphql", "server", "emulator", "app", "index"),
    ),
    // The caches shared through Redis: storage only, nothing of the layers above.
    restrict(
      ["src/cache/**/*.ts"],
      http,
      above("identity", "service", "graphql", "server", "emulator", "app", "index", "telemetry"),
    ),
    // Keystone over HTTP: it may use the upstream's HTTP client and errors, nothing above.
    restrict(
      ["src/identity/**/*.ts"],
      graphql,
      above("service", "graphql", "server", "emulator", "app", "index", "config"),
    ),
    // dataloader batches the members operations; it is not GraphQL.
    restrict(
      ["src/service/**/*.ts"],
      graphql,
      http,
      above("identity", "graphql", "server", "emulator", "app", "index", "config"),
    ),
    restrict(
      ["src/graphql/**/*.ts"],
      http,
      above("identity", "server", "emulator", "app", "index", "telemetry"),
      {
        // The resolvers reach the upstream through the service; the error table reads its errors.
        regex: "^(\\.\\./)+upstream/(?!errors\\.js$)",
        message: "src/graphql/ reaches the upstream through src/service/ (upstream/errors.js aside).",
      },
    ),
    restrict(["src/emulator/*.ts"], {
      regex: "^\\.\\./",
      message: "The emulator imports nothing of the gateway.",
    }),
    // The emulated Keystone may use the emulator's own plumbing, one folder up.
    restrict(["src/emulator/keystone/**/*.ts"], {
      regex: "^\\.\\./\\.\\./",
      message: "The emulator imports nothing of the gateway.",
    }),
  ];
}
