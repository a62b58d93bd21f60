/** Stylesheets imported by the app arrive as text (esbuild's `text` loader, scripts/buildUi.mjs). */
declare module '*.css' {
  const text: string;
  export default text;
}
