declare module "virtual:flowdeck/catalog" {
  const catalog: Array<{ name: string; title: string }>;
  export default catalog;
}
