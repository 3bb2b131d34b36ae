/**
 * What a render of the Dashboard, Profit and SKU profit pages must show (render.test.ts and the
 * workbook test share it).
 */
import { decodePng, type RenderedSheet } from './soffice';

/** Pixels within `tolerance` of a colour. */
export function countColor(png: string, color: [number, number, number], tolerance = 24): number {
  const img = decodePng(png);
  let n = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const [r, g, b] = img.rgb(x, y);
      if (Math.abs(r - color[0]) <= tolerance && Math.abs(g - color[1]) <= tolerance && Math.abs(b - color[2]) <= tolerance) n++;
    }
  }
  return n;
}

const BLUE: [number, number, number] = [0x42, 0x85, 0xf4];
const HEADER_FILL: [number, number, number] = [0xe8, 0xee, 0xf7];
const NO_COST_FILL: [number, number, number] = [0xf4, 0xc7, 0xc3];

export function checkRender(pages: readonly RenderedSheet[], expected: { profitFigure: string }): void {
  const page = (s: string) => pages.find((p) => p.sheet === s)!;
  for (const p of pages) {
    const img = decodePng(p.png);
    expect([p.sheet, img.width > 600, img.height > 200]).toEqual([p.sheet, true, true]);
    // Every number fits its column: Calc shows "###" for one that does not.
    expect([p.sheet, p.text.includes('###')]).toEqual([p.sheet, false]);
    // Styled headers: the light header fill is drawn.
    expect([p.sheet, countColor(p.png, HEADER_FILL, 4) > 500]).toEqual([p.sheet, true]);
  }
  const dash = page('Dashboard');
  expect(dash.text).toMatch(/Net profit and CM3, each beside the period before/);
  expect(dash.text).toMatch(/Daily CM3 and net profit, last 30 days/); // the line chart's title
  expect(dash.text).toMatch(/Creators, last 30 days: GMV vs CM3 %/); // the scatter's title
  // The charts' series are drawn (the first series' blue: the CM3 line and the scatter's points).
  expect(countColor(dash.png, BLUE, 40)).toBeGreaterThan(300);
  expect(page('Profit').text).toContain(expected.profitFigure);
  // The SKU without a cost is drawn with the red rule of its grade.
  expect(page('SKU profit').text).toContain('no cost: add it on the COGS tab');
  expect(countColor(page('SKU profit').png, NO_COST_FILL, 6)).toBeGreaterThan(50);
}
