/**
 * PNG beside SVG, when the optional rasterizer `@resvg/resvg-js` (a prebuilt native binary from
 * npm) is installed; without it `svgToPng` returns null and only SVGs are written.
 */
import { createRequire } from 'node:module';

type Resvg = new (svg: string, opts: object) => { render(): { asPng(): Buffer } };

const require = createRequire(import.meta.url);

function loadResvg(): Resvg | null {
  try {
    return (require('@resvg/resvg-js') as { Resvg: Resvg }).Resvg;
  } catch {
    return null;
  }
}

/** The SVG rendered at `scale` (2: sharp on paper and on high-density screens), or null without the rasterizer. */
export function svgToPng(svg: string, scale = 2): Buffer | null {
  const Resvg = loadResvg();
  if (!Resvg) return null;
  const r = new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, background: 'white', font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' } });
  return r.render().asPng();
}
