declare module "virtual:flowdeck/catalog" {
  const catalog: import("./catalog.ts").Catalog;
  export default catalog;
}
