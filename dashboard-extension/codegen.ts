import type { CodegenConfig } from "@graphql-codegen/cli";

// Types come from the committed schema dump (bin/dump-schema); `npm run codegen:check`
// fails when src/shared/graphql/gql/ is stale against it or the documents.
const config: CodegenConfig = {
  schema: { "../schema.graphql": { loader: "./schema-loader.cjs" } } as any,
  documents: ["src/**/*.{ts,tsx}", "!src/shared/graphql/gql/**"],
  ignoreNoDocuments: true,
  generates: {
    "src/shared/graphql/gql/": {
      preset: "client",
      config: {
        onlyOperationTypes: true,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Decimal: "string", DateTime: "string", Date: "string", JSONString: "string", UUID: "string" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};
export default config;
