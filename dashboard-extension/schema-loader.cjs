// The committed schema dump is written by graphql-core 2 (Saleor 2.10), which separates
// implemented interfaces with commas; graphql-js 16 only reads "&". Translate on load.
const { readFileSync } = require("node:fs");
const { buildSchema } = require("graphql");

module.exports = (schemaPath) => {
  const sdl = readFileSync(schemaPath, "utf8").replace(
    /(\bimplements\s+)([^{]+)\{/g,
    (_, keyword, list) => `${keyword}${list.split(",").map((s) => s.trim()).join(" & ")} {`,
  );
  return buildSchema(sdl);
};
