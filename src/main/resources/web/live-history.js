/* Pulse live dashboard: the last 24 hours. A line of the site's active visitors every 5 minutes
   (each point the highest minute of its five), last week's line behind it, the peak marked, from
   GET /api/sites/{site}/history?range=24h&step=5m&compare=week, read again every minute. And the
   snapshot's baseline under the big number: what is usual for this minute. */
(function () {
  'use strict';

  var P = window.PulseLive;
  var $ = P.$;
  var site = document.body.getAttribute('data-site');
  var isPrivate = document.body.getAttribute('data-access') === 'private';
  var REFRESH_MS = 60000;
  var last = null;

  function load() {
    var headers = {};
    var token = isPrivate && sessionStorage.getItem('pulse.token.' + site);
    if (isPrivate && !token) return;
    if (token) headers.Authorization = 'Bearer ' + token;
    fetch('/api/sites/' + encodeURIComponent(site) + '/history?range=24h&step=5m&compare=week',
      { headers: headers, credentials: 'omit' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (h) {
        if (!h) return;
        last = h;
        draw(h);
      })['catch'](function () {});
  }

  function points(series) {
    return (series || []).map(function (p) {
      return { t: Date.parse(p.t), v: p.activeVisitors };
    });
  }

  /** A line through the points, broken where minutes are missing (Pulse was not running). */
  function path(pts, x, y, gapMs) {
    var d = '';
    pts.forEach(function (p, i) {
      var jump = i === 0 || p.t - pts[i - 1].t > gapMs;
      d += (jump ? 'M' : 'L') + x(p.t).toFixed(1) + ' ' + y(p.v).toFixed(1);
    });
    return d;
  }

  function draw(h) {
    var box = $('history-chart');
    $('history-card').hidden = false;
    var width = Math.max(240, box.clientWidth || 600);
    var height = Math.max(100, box.clientHeight || 150);
    box.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    box.textContent = '';
    var now = h.series.length ? Date.parse(h.series[h.series.length - 1].t) : Date.now();
    var from = now - 24 * 3600 * 1000;
    var today = points(h.series);
    var before = points(h.lastWeek);
    var max = 1;
    today.concat(before).forEach(function (p) { max = Math.max(max, p.v); });
    var top = 16, bottom = 18;
    var x = function (t) { return (t - from) / (now - from) * (width - 4) + 2; };
    var y = function (v) { return top + (height - top - bottom) * (1 - v / max); };
    [0.5, 1].forEach(function (f) {
      P.svg('line', { x1: 0, x2: width, y1: y(max * f), y2: y(max * f), 'class': 'grid' }, box);
    });
    P.svg('text', { x: width - 2, y: top - 4, 'class': 'axis', 'text-anchor': 'end' }, box)
      .textContent = P.number(max);
    if (before.length) {
      P.svg('path', { d: path(before, x, y, 10 * 60000), 'class': 'last-week' }, box);
    }
    P.svg('path', { d: path(today, x, y, 10 * 60000), 'class': 'today' }, box);
    var peak = h.peak;
    if (peak) {
      var pt = Date.parse(peak.t);
      var px = x(Math.max(from, pt)), py = y(peak.activeVisitors);
      P.svg('circle', { cx: px, cy: py, r: 4, 'class': 'peak' }, box);
      $('history-peak').textContent = 'Peak ' + P.number(peak.activeVisitors) + ' at '
        + P.clock(pt).slice(0, 5);
    }
    P.svg('text', { x: 2, y: height - 4, 'class': 'axis' }, box).textContent =
      P.clock(from).slice(0, 5);
    P.svg('text', { x: width - 2, y: height - 4, 'class': 'axis', 'text-anchor': 'end' }, box)
      .textContent = 'now';
    $('history-last-week').hidden = !before.length;
  }

  /** Under the big number: the same minute last week, or the median of four weeks, and the ratio. */
  P.baselineOf = function (s) {
    var b = s.baseline;
    var usual = b && (b.medianOfFourWeeks != null ? b.medianOfFourWeeks : b.weekAgo);
    var line = $('baseline');
    line.hidden = usual == null;
    if (usual == null) return;
    var what = b.medianOfFourWeeks != null ? 'usual at this time (4 weeks)' : 'this time last week';
    var ratio = b.ratio != null ? ' · ×' + b.ratio.toFixed(b.ratio < 10 ? 1 : 0) : '';
    line.textContent = P.number(Math.round(usual)) + ' ' + what + ratio;
    line.setAttribute('data-trend', b.ratio == null ? 'flat'
      : b.ratio >= 1.2 ? 'up' : b.ratio <= 0.8 ? 'down' : 'flat');
  };

  P.history = {
    start: function () {
      load();
      setInterval(load, REFRESH_MS);
    },
    redraw: function () {
      if (last) draw(last);
    }
  };
})();
