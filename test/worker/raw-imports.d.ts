// Fixture text imported with Vite's ?raw suffix (workerd has no file system).
declare module '*?raw' {
  const text: string;
  export default text;
}
