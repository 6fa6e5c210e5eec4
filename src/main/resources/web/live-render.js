/* Pulse live dashboard, part 1 of 5: what every part shares (window.PulseLive), the chart and the
   feed of recent pageviews. Everything a snapshot says is text from the internet (paths, titles,
   event names): it only ever goes into the page through textContent and SVG attributes. */
(function () {
  'use strict';

  var P = window.PulseLive = {};
  var SVG = 'http://www.w3.org/2000/svg';
  var FEED_SIZE = 20;
  var RECENT_LIMIT = 50;        // the most pageviews a snapshot's recent list holds
  var countryNames = {};
  var regionNames = null;
  var seen = null;              // keys of the recent pageviews already shown

  P.tv = /[?&]tv=1(&|$)/.test(location.search);
  P.lastUpdate = 0;

  P.$ = function (id) { return document.getElementById(id); };

  P.el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  };

  P.number = function (n) {
    return Number(n).toLocaleString('en-US');
  };

  function pad(n) {
    return n < 10 ? '0' + n : '' + n;
  }

  P.clock = function (ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  };

  /** Seconds as "45s", "3m 05s", "1h 02m". */
  P.duration = function (s) {
    if (s < 60) return s + 's';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + pad(s % 60) + 's';
    return Math.floor(s / 3600) + 'h ' + pad(Math.floor(s / 60) % 60) + 'm';
  };

  P.setCountryNames = function (names) { countryNames = names || {}; };

  P.countryName = function (code) {
    if (countryNames[code]) return countryNames[code];
    try {
      if (!regionNames && window.Intl && Intl.DisplayNames) {
        regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
      }
      return regionNames ? regionNames.of(code) : code;
    } catch (e) {
      return code;
    }
  };

  /** Sets a figure; a changed one flashes. */
  P.setText = function (id, value) {
    var e = P.$(id);
    var text = P.number(value);
    if (e.textContent !== text) {
      e.textContent = text;
      e.classList.remove('bump');
      void e.offsetWidth; // restart the animation
      e.classList.add('bump');
    }
  };

  P.svg = function (tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  };

  /** A new connection's first snapshot shows its feed without the slide-in. */
  P.resetFeed = function () { seen = null; };

  // ---- the chart -----------------------------------------------------------------------------

  /**
   * The chart of a snapshot: a column per minute, or for a window of up to two minutes a column
   * per 10 seconds. The snapshot counts per minute only; 10-second columns count its recent
   * pageviews, which hold every pageview of such a window unless there were more than the list
   * keeps: then the minutes are shown. Visitors are counted per minute only.
   */
  P.chartOf = function (s) {
    var columns = s.window <= 120 ? tenSeconds(s) : null;
    var perMinute = !columns;
    if (perMinute) {
      columns = (s.perMinute || []).map(function (m) {
        return { start: Date.parse(m.minute), visitors: m.visitors, pageviews: m.pageviews };
      });
    }
    P.$('chart-unit').textContent = perMinute ? 'per minute' : 'per 10 seconds';
    P.$('visitors-key').hidden = !perMinute;
    P.$('chart').setAttribute('aria-label', perMinute ? 'Visitors and pageviews per minute'
      : 'Pageviews per 10 seconds');
    chart(columns, !perMinute);
  };

  /** The last window/10 ten-second spans, the newest being the current one; null if unknown. */
  function tenSeconds(s) {
    var recent = s.recent || [];
    var now = Date.parse(s.timestamp);
    var n = Math.ceil(s.window / 10);
    var first = Math.floor(now / 10000) * 10000 - (n - 1) * 10000;
    var times = recent.map(function (p) { return Date.parse(p.timestamp); });
    var oldest = Math.min.apply(null, times.concat([Infinity]));
    if (recent.length >= RECENT_LIMIT && oldest > first) return null;
    var columns = [];
    for (var i = 0; i < n; i++) columns.push({ start: first + i * 10000, pageviews: 0 });
    times.forEach(function (t) {
      var i = Math.floor((t - first) / 10000);
      if (i >= 0 && i < n) columns[i].pageviews++;
    });
    return columns;
  }

  /** Columns: pageviews behind, visitors in front; the newest one is still filling. */
  function chart(minutes, seconds) {
    var box = P.$('chart');
    var width = Math.max(240, box.clientWidth || 600);
    var height = Math.max(100, box.clientHeight || 150);
    box.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    box.textContent = '';
    var top = 14, bottom = 18, left = 4;
    var plotH = height - top - bottom;
    var max = 1;
    minutes.forEach(function (m) { max = Math.max(max, m.pageviews, m.visitors || 0); });
    var n = Math.max(minutes.length, 1);
    var step = (width - left) / n;
    var barW = Math.max(2, Math.min(step * 0.7, 48));
    [0.5, 1].forEach(function (f) {
      var y = top + plotH * (1 - f);
      P.svg('line', { x1: 0, x2: width, y1: y, y2: y, 'class': 'grid' }, box);
    });
    P.svg('text', { x: width - 2, y: top - 4, 'class': 'axis', 'text-anchor': 'end' }, box)
      .textContent = P.number(max);
    minutes.forEach(function (m, i) {
      var x = left + i * step + (step - barW) / 2;
      var g = P.svg('g', { 'class': 'column minute' + (i === minutes.length - 1 ? ' current' : ''),
        'data-pageviews': m.pageviews }, box);
      P.svg('title', {}, g).textContent = time(m.start, seconds) + ' · '
        + (seconds ? '' : m.visitors + ' visitors · ') + m.pageviews + ' pageviews';
      var hp = plotH * m.pageviews / max;
      P.svg('rect', { x: x, y: top + plotH - hp, width: barW, height: hp, rx: 2, 'class': 'pv' }, g);
      if (seconds) return;
      var hv = plotH * m.visitors / max;
      P.svg('rect', { x: x + barW * 0.2, y: top + plotH - hv, width: barW * 0.6, height: hv, rx: 2,
        'class': 'uv' }, g);
    });
    if (minutes.length) {
      P.svg('text', { x: left, y: height - 4, 'class': 'axis' }, box).textContent =
        time(minutes[0].start, seconds);
      P.svg('text', { x: width - 2, y: height - 4, 'class': 'axis', 'text-anchor': 'end' }, box)
        .textContent = 'now';
    }
  }

  function time(ms, seconds) {
    var t = new Date(ms);
    return pad(t.getHours()) + ':' + pad(t.getMinutes()) + (seconds ? ':' + pad(t.getSeconds()) : '');
  }

  // ---- the feed of recent pageviews ----------------------------------------------------------

  function key(p) {
    return p.timestamp + '|' + p.path + '|' + p.browser + '|' + p.country;
  }

  /** The newest pageviews; ones not shown before slide in at the top. */
  P.feed = function (recent) {
    var list = P.$('recent');
    var first = seen === null;
    var next = {};
    list.textContent = '';
    if (!recent.length) {
      list.appendChild(P.el('li', 'empty', list.getAttribute('data-empty')));
    }
    recent.slice(0, FEED_SIZE).forEach(function (p) {
      var k = key(p);
      next[k] = true;
      var li = P.el('li', first || seen[k] ? '' : 'enter');
      var when = P.el('time', 'ago');
      when.setAttribute('datetime', p.timestamp);
      li.appendChild(when);
      var main = P.el('div', 'what');
      main.appendChild(P.el('span', 'path', p.path));
      if (p.title) main.appendChild(P.el('span', 'title', p.title));
      li.appendChild(main);
      var meta = [];
      if (p.country) meta.push(P.countryName(p.country));
      if (p.browser) meta.push(p.browser + (p.device ? ' · ' + p.device : ''));
      if (p.referrer) meta.push('from ' + p.referrer);
      li.appendChild(P.el('div', 'meta', meta.join(' · ')));
      list.appendChild(li);
    });
    seen = next;
    P.ageFeed();
  };

  P.ageFeed = function () {
    var times = document.querySelectorAll('#recent time');
    var now = Date.now();
    for (var i = 0; i < times.length; i++) {
      var s = Math.max(0, Math.round((now - Date.parse(times[i].getAttribute('datetime'))) / 1000));
      times[i].textContent = s < 5 ? 'now' : s < 60 ? s + 's' : Math.floor(s / 60) + 'm';
    }
  };
})();
