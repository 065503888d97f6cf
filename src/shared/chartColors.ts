/**
 * The charts' series colours, chosen from the theme's own colours so that every series can be told from the others
 * and from the background, in any theme. A theme's chart colours are not made for that: Light+ gives
 * `charts.orange` #d18616 and `charts.yellow` #bf8803, nearly the same colour, and its yellow is faint on white.
 * So the candidates are taken in order of preference, each one darkened or lightened until it stands out from the
 * background (WCAG's 3:1 for graphics), and kept only when it is far enough (CIE76 ΔE) from those kept before it.
 * Pure: the webview passes the colours it reads from its CSS variables.
 */

/** An sRGB colour, channels 0–255. */
export interface Rgb {
  readonly r: number;
  readonly g: number;
  readonly b: number;
}

/** WCAG 2's minimum contrast of graphical objects (1.4.11) against what is next to them. */
export const MIN_GRAPHIC_CONTRAST = 3;

/** Colours nearer than this (CIE76 ΔE) read as one on a chart's thin lines. */
export const MIN_COLOUR_DISTANCE = 30;

/** `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa` or `rgb()`/`rgba()` (alpha ignored), as CSS variables hold them; else undefined. */
export function parseColour(text: string): Rgb | undefined {
  const value = text.trim().toLowerCase();
  const hex = /^#([0-9a-f]{3,8})$/.exec(value)?.[1];
  if (hex && [3, 4].includes(hex.length)) {
    return { r: parseInt(hex[0] + hex[0], 16), g: parseInt(hex[1] + hex[1], 16), b: parseInt(hex[2] + hex[2], 16) };
  }
  if (hex && [6, 8].includes(hex.length)) {
    return { r: parseInt(hex.slice(0, 2), 16), g: parseInt(hex.slice(2, 4), 16), b: parseInt(hex.slice(4, 6), 16) };
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(value);
  if (rgb) return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]) };
  return undefined;
}

/** `#rrggbb`. */
export function formatColour({ r, g, b }: Rgb): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}

function linear(channel: number): number {
  const c = channel / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance, 0 (black) – 1 (white). */
export function luminance({ r, g, b }: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** WCAG contrast ratio, 1–21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** CIE L*a*b* (D65) of an sRGB colour. */
function lab(colour: Rgb): readonly [number, number, number] {
  const [r, g, b] = [linear(colour.r), linear(colour.g), linear(colour.b)];
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : (24389 / 27 * t + 16) / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** CIE76 colour difference: about 2.3 is just noticeable; under 30, two thin lines are easily confused. */
export function colourDistance(a: Rgb, b: Rgb): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

/** `colour` moved toward black (on a light background) or white (on a dark one) until it has `min` contrast. */
export function withContrast(colour: Rgb, background: Rgb, min = MIN_GRAPHIC_CONTRAST): Rgb {
  const target = luminance(background) > 0.5 ? 0 : 255;
  let current = colour;
  for (let step = 1; step <= 10 && contrastRatio(current, background) < min; step++) {
    const t = step / 10;
    current = { r: colour.r + (target - colour.r) * t, g: colour.g + (target - colour.g) * t, b: colour.b + (target - colour.b) * t };
  }
  return current;
}

/**
 * The series colours for `background`: the candidates in order, each given enough contrast, those too near one
 * already chosen left out. Unreadable candidates are skipped; with none usable, `fallback` alone.
 */
export function distinctPalette(candidates: readonly string[], background: string, fallback = '#888888'): string[] {
  const ground = parseColour(background) ?? { r: 255, g: 255, b: 255 };
  const chosen: Rgb[] = [];
  for (const text of candidates) {
    const parsed = parseColour(text);
    if (!parsed) continue;
    const colour = withContrast(parsed, ground);
    if (chosen.every((other) => colourDistance(colour, other) >= MIN_COLOUR_DISTANCE)) chosen.push(colour);
  }
  return chosen.length > 0 ? chosen.map(formatColour) : [fallback];
}
