// Bun inlines `import x from "*.proto" with { type: "text" }` as a string at
// bundle time; this tells the type checker what such an import yields.
declare module "*.proto" {
  const text: string;
  export default text;
}
