// Writes the dashboard's world map: one <path> per country, its id the ISO 3166-1 alpha-2 code,
// drawn in the Equal Earth projection from Natural Earth's 1:50m countries (world-atlas),
// simplified so that the file stays small. Run once: `npm install && npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import { presimplify, simplify, quantile } from 'topojson-simplify';
import countries from 'i18n-iso-countries';

const require = createRequire(import.meta.url);
const out = process.argv[2] || 'world.svg';
const topology = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json')));

const WIDTH = 1000;
const KEEP = 0.12;          // the share of points kept (by Visvalingam weight), borders stay shared
const MIN_AREA = 1.5;       // rings smaller than this (square units of the map) are left out
// Natural Earth draws these without an ISO number; GeoIP databases use XK for Kosovo
const UNNUMBERED = { Kosovo: 'XK' };
const SKIPPED = new Set(['AQ']); // Antarctica: nobody visits from there, and it takes a third of the height

// Equal Earth (Šavrič, Patterson, Jenny 2018): equal-area, and easy on the eye
const A1 = 1.340264, A2 = -0.081106, A3 = 0.000893, A4 = 0.003796, M = Math.sqrt(3) / 2;
function project([lon, lat]) {
  const l = lon * Math.PI / 180, p = lat * Math.PI / 180;
  const t = Math.asin(M * Math.sin(p)), t2 = t * t, t6 = t2 * t2 * t2;
  const x = l * Math.cos(t) / (M * (A1 + 3 * A2 * t2 + t6 * (7 * A3 + 9 * A4 * t2)));
  const y = t * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
  return [x, y];
}
const [maxX] = project([180, 0]);
const [, maxY] = project([0, 90]);
const scale = WIDTH / (2 * maxX);
const TOP = 84, BOTTOM = -57;   // what is drawn, in degrees of latitude
const y0 = project([0, TOP])[1];
const HEIGHT = Math.ceil((y0 - project([0, BOTTOM])[1]) * scale);
const toMap = (pt) => { const [x, y] = project(pt); return [(x + maxX) * scale, (y0 - y) * scale]; };

const weighted = presimplify(topology);
const simple = simplify(weighted, quantile(weighted, KEEP));
const shapes = feature(simple, simple.objects.countries).features;
// small countries that simplification wiped out are drawn from the full detail
const detailed = new Map(feature(topology, topology.objects.countries).features
  .map((f) => [f.id || f.properties.name, f.geometry]));

function area(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  }
  return Math.abs(a / 2);
}

/**
 * A polygon's rings, with those that cross the antimeridian (Chukotka) kept on its east side:
 * their far-east points are pressed onto the map's edge instead of drawing a line across it.
 */
function wrapped(polygon) {
  return polygon.map((ring) => {
    const crosses = ring.some((pt, i) => i > 0 && Math.abs(pt[0] - ring[i - 1][0]) > 180);
    return crosses ? ring.map(([lon, lat]) => [lon < 0 ? 180 : lon, lat]) : ring;
  });
}

/** Rings as one path: each starts with a move relative to the last ring's start, then lines. */
function pathOf(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rings = [];
  for (const polygon of polygons) {
    for (const ring of wrapped(polygon)) {
      // on a grid of tenths of a unit, repeated points dropped
      const points = [];
      for (const pt of ring) {
        const [x, y] = toMap(pt).map((v) => Math.round(v * 10));
        const last = points[points.length - 1];
        if (!last || last[0] !== x || last[1] !== y) points.push([x, y]);
      }
      rings.push({ points, area: area(points) / 100 });
    }
  }
  // a country of only tiny islands keeps its largest one, so that every country is on the map
  const largest = Math.max(...rings.map((r) => r.area));
  const num = (v) => String(v / 10);
  const pair = (dx, dy) => num(dx) + (dy < 0 ? '' : ' ') + num(dy);
  let d = '', cx = 0, cy = 0;
  for (const { points, area: a } of rings) {
    if (points.length < 4 || (a < MIN_AREA && a < largest)) continue;
    d += (d ? 'm' : 'M') + pair(points[0][0] - cx, points[0][1] - cy) + 'l';
    for (let i = 1; i < points.length - 1; i++) {
      const dx = points[i][0] - points[i - 1][0], dy = points[i][1] - points[i - 1][1];
      d += (i > 1 && dx >= 0 ? ' ' : '') + pair(dx, dy);
    }
    d += 'z';
    [cx, cy] = points[0];
  }
  return d;
}

const rows = [];
for (const f of shapes) {
  const code = f.id ? countries.numericToAlpha2(f.id) : UNNUMBERED[f.properties.name];
  if (!code || SKIPPED.has(code) || !f.geometry) continue;
  const d = pathOf(f.geometry) || pathOf(detailed.get(f.id || f.properties.name));
  if (d) rows.push({ code, name: f.properties.name, d });
}
rows.sort((a, b) => a.code.localeCompare(b.code));
const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ' + WIDTH + ' ' + HEIGHT + '">\n'
  + '<!-- Countries: Natural Earth (public domain) via world-atlas; made by tools/world-map -->\n'
  + rows.map((r) => '<path id="' + r.code + '" d="' + r.d + '"><title>' + r.name
    .replace(/&/g, '&amp;').replace(/</g, '&lt;') + '</title></path>').join('\n') + '\n</svg>\n';
writeFileSync(out, svg);
console.log(out + ': ' + rows.length + ' countries, ' + svg.length + ' bytes');
