declare module "virtual:flowdeck/catalog" {
  const catalog: Array<{
    name: string;
    title: string;
    /** exercise cells, named by the heading above them */
    exercises: Array<{ id: string; title: string }>;
  }>;
  export default catalog;
}
