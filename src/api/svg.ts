/** Small dependency-free SVG charts for the plot endpoints (line charts and horizontal bars). */

export interface Series {
  name: string;
  x: readonly (number | null)[];
  y: readonly (number | null)[];
  dashed?: boolean;
}

const W = 480;
const H = 360;
const M = { left: 56, right: 16, top: 36, bottom: 48 };
const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c"];

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());

function frame(title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>
${body}</svg>
`;
}

/** A line chart on [xMin, xMax] × [yMin, yMax] (the unit square by default). */
export function lineChart(options: {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  domain?: { x: [number, number]; y: [number, number] };
}): string {
  const d = options.domain ?? { x: [0, 1], y: [0, 1] };
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const sx = (v: number) => M.left + ((v - d.x[0]) / (d.x[1] - d.x[0] || 1)) * pw;
  const sy = (v: number) => M.top + ph - ((v - d.y[0]) / (d.y[1] - d.y[0] || 1)) * ph;
  let body = `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>\n`;
  for (let t = 0; t <= 4; t++) {
    const xv = d.x[0] + ((d.x[1] - d.x[0]) * t) / 4;
    const yv = d.y[0] + ((d.y[1] - d.y[0]) * t) / 4;
    body += `<text x="${sx(xv)}" y="${M.top + ph + 14}" text-anchor="middle">${fmt(xv)}</text>`;
    body += `<text x="${M.left - 6}" y="${sy(yv) + 4}" text-anchor="end">${fmt(yv)}</text>\n`;
  }
  body += `<text x="${M.left + pw / 2}" y="${H - 10}" text-anchor="middle">${esc(options.xLabel)}</text>`;
  body += `<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${esc(options.yLabel)}</text>\n`;
  options.series.forEach((s, k) => {
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const x = s.x[i];
      const y = s.y[i];
      if (x === null || y === null || !Number.isFinite(x) || !Number.isFinite(y)) continue;
      pts.push(`${sx(x).toFixed(1)},${sy(y).toFixed(1)}`);
    }
    const color = s.dashed ? "#888" : COLORS[k % COLORS.length];
    body += `<polyline fill="none" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="4 4"' : ""} points="${pts.join(" ")}"><title>${esc(s.name)}</title></polyline>\n`;
    body += `<text x="${M.left + 8}" y="${M.top + 14 + 14 * k}" fill="${color}">${esc(s.name)}</text>\n`;
  });
  return frame(options.title, body);
}

/** Horizontal bars, largest first (feature importances). */
export function barChart(options: { title: string; bars: { label: string; value: number }[] }): string {
  const bars = options.bars;
  const max = Math.max(...bars.map((b) => b.value), 1e-12);
  const left = 160;
  const pw = W - left - M.right - 40;
  const row = Math.min(24, (H - M.top - 16) / Math.max(bars.length, 1));
  let body = "";
  bars.forEach((b, i) => {
    const y = M.top + i * row;
    const w = Math.max(0, (b.value / max) * pw);
    const label = b.label.length > 26 ? `${b.label.slice(0, 25)}…` : b.label;
    body += `<text x="${left - 6}" y="${y + row * 0.65}" text-anchor="end">${esc(label)}</text>`;
    body += `<rect x="${left}" y="${y + 2}" width="${w.toFixed(1)}" height="${Math.max(1, row - 4).toFixed(1)}" fill="${COLORS[0]}"/>`;
    body += `<text x="${left + w + 4}" y="${y + row * 0.65}">${fmt(b.value)}</text>\n`;
  });
  return frame(options.title, body);
}

/** A confusion matrix as a heat map: rows are true labels, columns predicted; counts in the cells. */
export function heatmap(options: {
  title: string;
  labels: readonly string[];
  matrix: readonly (readonly number[])[];
}): string {
  const { labels, matrix } = options;
  const k = Math.max(labels.length, 1);
  const left = 110;
  const top = M.top + 24;
  const size = Math.min((W - left - M.right) / k, (H - top - 40) / k);
  const max = Math.max(1, ...matrix.flat());
  const short = (s: string) => (s.length > 14 ? `${s.slice(0, 13)}…` : s);
  let body = `<text x="${left + (size * k) / 2}" y="${top - 10}" text-anchor="middle">predicted</text>`;
  body += `<text x="14" y="${top + (size * k) / 2}" transform="rotate(-90 14 ${top + (size * k) / 2})" text-anchor="middle">true</text>`;
  labels.forEach((label, i) => {
    body += `<text x="${left - 6}" y="${top + i * size + size / 2 + 4}" text-anchor="end">${esc(short(label))}</text>`;
    body += `<text x="${left + i * size + size / 2}" y="${top + k * size + 14}" text-anchor="middle">${esc(short(label))}</text>`;
    matrix[i]?.forEach((count, j) => {
      const t = count / max;
      // White to the first colour; the text turns white on dark cells.
      const shade = Math.round(255 - t * (255 - 37));
      const fill = `rgb(${shade},${Math.round(255 - t * (255 - 99))},${Math.round(255 - t * (255 - 235))})`;
      const x = left + j * size;
      const y = top + i * size;
      body += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${size.toFixed(1)}" height="${size.toFixed(1)}" fill="${fill}" stroke="#fff"/>`;
      body += `<text x="${(x + size / 2).toFixed(1)}" y="${(y + size / 2 + 4).toFixed(1)}" text-anchor="middle" fill="${t > 0.55 ? "#fff" : "#111"}">${fmt(count)}</text>\n`;
    });
  });
  return frame(options.title, body);
}
