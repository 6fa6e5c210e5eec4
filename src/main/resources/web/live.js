/* Pulse live dashboard: one EventSource on /api/sites/{site}/stream, rendered without a framework.
   Everything the stream says is text from the internet (paths, titles): it only ever goes into
   the page through textContent and SVG attributes, never as HTML. */
(function () {
  'use strict';

  var body = document.body;
  var site = body.getAttribute('data-site');
  var isPrivate = body.getAttribute('data-access') === 'private';
  var tokenKey = 'pulse.token.' + site;
  var WINDOWS = { 60: '1m', 300: '5m', 1800: '30m' };
  var STALE_AFTER_MS = 10000;   // trouble for this long turns "reconnecting" into "stale"
  var SILENT_MS = 75000;        // a stream pushes at least once a minute; silence means it hangs
  var FEED_SIZE = 20;
  var RECENT_LIMIT = 50;        // the most pageviews a snapshot's recent list holds
  var MAX_RETRY_MS = 3000;      // a server back from a restart is found within this (its retry:)
  var SVG = 'http://www.w3.org/2000/svg';

  var windowSeconds = initialWindow();
  var source = null;
  var lastUpdate = 0;           // when the last snapshot arrived (ms)
  var troubleSince = 0;         // when the connection went wrong (ms), 0 while fine
  var retryDelay = 1000;
  var retryTimer = 0;
  var generation = 0;           // bumps on every (re)connect, so late callbacks of old ones stop
  var seen = null;              // keys of the recent pageviews already shown
  var lastSnapshot = null;
  var shownGeneration = -1;     // the connection whose snapshot the page shows
  var countryNames = {};
  var regionNames = null;

  function $(id) { return document.getElementById(id); }

  // ---- the window selector --------------------------------------------------------------------

  function initialWindow() {
    var m = /[?&]window=(\d+)([smh]?)/.exec(location.search);
    if (!m) return 300;
    var n = +m[1] * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1);
    return WINDOWS[n] ? n : 300;
  }

  function showWindow() {
    var buttons = document.querySelectorAll('[data-window]');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      b.setAttribute('aria-pressed', +b.getAttribute('data-window') === windowSeconds);
    }
    $('window-label').textContent = 'in the last ' + (windowSeconds === 60 ? 'minute'
      : windowSeconds / 60 + ' minutes');
  }

  document.querySelector('.windows').addEventListener('click', function (e) {
    var b = e.target.closest('[data-window]');
    if (!b) return;
    var w = +b.getAttribute('data-window');
    if (w === windowSeconds) return;
    windowSeconds = w;
    history.replaceState(null, '', location.pathname + '?window=' + WINDOWS[w] + location.hash);
    showWindow();
    seen = null;
    $('dash').setAttribute('aria-busy', 'true');
    setState('loading');
    connect();
  });

  // ---- connection ----------------------------------------------------------------------------

  function setState(state) {
    var el = $('state');
    el.setAttribute('data-state', state);
    var text;
    if (state === 'live') text = 'Live';
    else if (state === 'reconnecting') text = 'Reconnecting…';
    else if (state === 'stale') text = 'Stale · last update ' + (lastUpdate ? clock(lastUpdate) : 'never');
    else if (state === 'locked') text = 'Token needed';
    else if (state === 'loading') text = 'Loading…';
    else text = 'Connecting…';
    $('state-text').textContent = text;
    el.title = lastUpdate ? 'Last update ' + clock(lastUpdate) : '';
  }

  function trouble() {
    if (!troubleSince) troubleSince = Date.now();
    setState(Date.now() - troubleSince > STALE_AFTER_MS ? 'stale' : 'reconnecting');
  }

  function closeSource() {
    if (source) {
      source.close();
      source = null;
    }
    clearTimeout(retryTimer);
  }

  /** Reconnects later, with a growing delay; a private site fetches a fresh ticket first. */
  function retryLater() {
    closeSource();
    trouble();
    var delay = retryDelay + Math.random() * 500;
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(connect, delay);
  }

  function connect() {
    closeSource();
    var mine = ++generation;
    var url = '/api/sites/' + encodeURIComponent(site) + '/stream?window=' + windowSeconds;
    if (!isPrivate) {
      open(url, mine);
      return;
    }
    var token = sessionStorage.getItem(tokenKey);
    if (!token) {
      askForToken('');
      return;
    }
    fetch('/api/sites/' + encodeURIComponent(site) + '/stream-tickets', {
      method: 'POST', cache: 'no-store', credentials: 'omit',
      headers: { 'Authorization': 'Bearer ' + token }
    }).then(function (r) {
      if (mine !== generation) return;
      // 404: the server does not tell a private site from an unknown one to a token not its own
      if (r.status === 401 || r.status === 403 || r.status === 404) {
        sessionStorage.removeItem(tokenKey);
        forgetLinkToken();
        askForToken(r.status === 401 ? 'That token is not known to this server.'
          : 'That token may not read this site, or there is no such site.');
        return;
      }
      if (!r.ok) throw new Error('ticket: ' + r.status);
      return r.json().then(function (t) {
        if (mine !== generation) return;
        $('login').hidden = true;
        $('dash').hidden = false;
        body.classList.remove('locked');
        open(url + '&ticket=' + encodeURIComponent(t.ticket), mine);
      });
    })['catch'](function () {
      if (mine === generation) retryLater();
    });
  }

  function open(url, mine) {
    var es = new EventSource(url);
    source = es;
    es.onopen = function () {
      if (mine !== generation) return;
      troubleSince = 0;
      retryDelay = 1000;
      // "Live" only once this connection's figures are on the page
      setState(shownGeneration === mine ? 'live' : 'loading');
    };
    es.addEventListener('snapshot', function (e) {
      if (mine !== generation) return;
      lastUpdate = Date.now();
      troubleSince = 0;
      setState('live');
      var snapshot;
      try {
        snapshot = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      shownGeneration = mine;
      $('dash').setAttribute('aria-busy', 'false');
      render(snapshot);
    });
    // the server is shutting down: reconnect (to another instance behind the balancer)
    es.addEventListener('close', function () {
      if (mine === generation) retryLater();
    });
    es.onerror = function () {
      if (mine !== generation) return;
      // CONNECTING: the browser retries by itself; CLOSED: refused (an expired ticket, a limit)
      if (es.readyState === EventSource.CLOSED) retryLater();
      else trouble();
    };
  }

  setInterval(function () {
    if (troubleSince) trouble();
    else if (source && lastUpdate && Date.now() - lastUpdate > SILENT_MS) retryLater();
    ageFeed();
  }, 1000);

  // ---- private sites -------------------------------------------------------------------------

  function askForToken(error) {
    closeSource();
    setState('locked');
    body.classList.add('locked');
    $('dash').hidden = true;
    $('login').hidden = false;
    var e = $('login-error');
    e.textContent = error;
    e.hidden = !error;
    $('token').focus();
  }

  /**
   * A share link (pulse share SITE) carries a token in its fragment, #token=...: browsers never
   * send a fragment to a server nor put it in a Referer. It becomes the tab's token, as if typed.
   */
  function tokenFromLink() {
    var m = /^#(?:.*&)?token=([^&]+)/.exec(location.hash);
    if (!m) return;
    try {
      sessionStorage.setItem(tokenKey, decodeURIComponent(m[1]));
    } catch (e) { /* not a token */ }
  }

  /** A refused link token leaves the address, so that a reload asks rather than fails again. */
  function forgetLinkToken() {
    if (/^#(?:.*&)?token=/.test(location.hash)) {
      history.replaceState(null, '', location.pathname + location.search);
    }
  }

  window.addEventListener('hashchange', function () {
    if (!isPrivate) return;
    tokenFromLink();
    connect();
  });

  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var token = $('token').value.trim();
    if (!token) return;
    sessionStorage.setItem(tokenKey, token);
    $('token').value = '';
    setState('connecting');
    connect();
  });

  // ---- rendering -----------------------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function number(n) {
    return Number(n).toLocaleString('en-US');
  }

  function pad(n) {
    return n < 10 ? '0' + n : '' + n;
  }

  function clock(ms) {
    var d = new Date(ms);
    return pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds());
  }

  function countryName(code) {
    if (countryNames[code]) return countryNames[code];
    try {
      if (!regionNames && window.Intl && Intl.DisplayNames) {
        regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
      }
      return regionNames ? regionNames.of(code) : code;
    } catch (e) {
      return code;
    }
  }

  function setText(id, value) {
    var e = $(id);
    var text = number(value);
    if (e.textContent !== text) {
      e.textContent = text;
      e.classList.remove('bump');
      void e.offsetWidth; // restart the animation
      e.classList.add('bump');
    }
  }

  function render(s) {
    lastSnapshot = s;
    setText('active', s.activeVisitors);
    $('active-noun').textContent = s.activeVisitors === 1 ? 'visitor' : 'visitors';
    setText('pageviews', s.pageviews);
    if (s.today) {
      setText('today-visitors', s.today.visitors);
      setText('today-pageviews', s.today.pageviews);
    }
    $('updated').textContent = 'updated ' + clock(lastUpdate || Date.now());
    document.title = s.activeVisitors + ' online · ' + site + ' · Pulse';
    chartOf(s);
    // what visitors are reading now: a page they have all left is not a "0" row
    var pages = (s.pages || []).filter(function (p) { return p.visitors > 0; });
    bars('pages', pages, function (p) { return p.path; }, null, function (p) {
      return p.visitors + (p.visitors === 1 ? ' visitor, ' : ' visitors, ') + p.pageviews
        + (p.pageviews === 1 ? ' pageview' : ' pageviews');
    });
    bars('referrers', s.referrers, function (r) { return r.domain; });
    bars('countries', s.countries, function (c) { return countryName(c.code); },
      function (c) { return c.code; });
    bars('browsers', s.browsers, function (b) { return b.name; });
    bars('devices', s.devices, function (d) { return d.name; });
    feed(s.recent || []);
  }

  /** A ranked list: each row's bar is as wide as its share of the top row. */
  function bars(id, rows, label, tag, title) {
    var list = $(id);
    rows = (rows || []).slice(0, 8);
    list.textContent = '';
    if (!rows.length) {
      list.appendChild(el('li', 'empty', list.getAttribute('data-empty')));
      return;
    }
    var max = rows[0].visitors || 1;
    rows.forEach(function (row) {
      var li = el('li');
      var bar = el('span', 'bar');
      bar.style.width = Math.max(2, Math.round(100 * row.visitors / max)) + '%';
      li.appendChild(bar);
      var name = el('span', 'name');
      if (tag) name.appendChild(el('span', 'tag', tag(row)));
      name.appendChild(document.createTextNode(label(row)));
      li.appendChild(name);
      li.appendChild(el('span', 'value', number(row.visitors)));
      if (title) li.title = title(row);
      list.appendChild(li);
    });
  }

  function svg(tag, attrs, parent) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  /**
   * The chart of a snapshot: a column per minute, or for a window of up to two minutes a column
   * per 10 seconds. The snapshot counts per minute only; 10-second columns count its recent
   * pageviews, which hold every pageview of such a window unless there were more than the list
   * keeps: then the minutes are shown. Visitors are counted per minute only.
   */
  function chartOf(s) {
    var columns = s.window <= 120 ? tenSeconds(s) : null;
    var perMinute = !columns;
    if (perMinute) {
      columns = (s.perMinute || []).map(function (m) {
        return { start: Date.parse(m.minute), visitors: m.visitors, pageviews: m.pageviews };
      });
    }
    $('chart-unit').textContent = perMinute ? 'per minute' : 'per 10 seconds';
    $('visitors-key').hidden = !perMinute;
    $('chart').setAttribute('aria-label', perMinute ? 'Visitors and pageviews per minute'
      : 'Pageviews per 10 seconds');
    chart(columns, !perMinute);
  }

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
    var box = $('chart');
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
      svg('line', { x1: 0, x2: width, y1: y, y2: y, 'class': 'grid' }, box);
    });
    svg('text', { x: width - 2, y: top - 4, 'class': 'axis', 'text-anchor': 'end' }, box)
      .textContent = number(max);
    minutes.forEach(function (m, i) {
      var x = left + i * step + (step - barW) / 2;
      var g = svg('g', { 'class': 'column minute' + (i === minutes.length - 1 ? ' current' : ''),
        'data-pageviews': m.pageviews }, box);
      svg('title', {}, g).textContent = time(m.start, seconds) + ' · '
        + (seconds ? '' : m.visitors + ' visitors · ') + m.pageviews + ' pageviews';
      var hp = plotH * m.pageviews / max;
      svg('rect', { x: x, y: top + plotH - hp, width: barW, height: hp, rx: 2, 'class': 'pv' }, g);
      if (seconds) return;
      var hv = plotH * m.visitors / max;
      svg('rect', { x: x + barW * 0.2, y: top + plotH - hv, width: barW * 0.6, height: hv, rx: 2,
        'class': 'uv' }, g);
    });
    if (minutes.length) {
      svg('text', { x: left, y: height - 4, 'class': 'axis' }, box).textContent =
        time(minutes[0].start, seconds);
      svg('text', { x: width - 2, y: height - 4, 'class': 'axis', 'text-anchor': 'end' }, box)
        .textContent = 'now';
    }
  }

  function time(ms, seconds) {
    var t = new Date(ms);
    return pad(t.getHours()) + ':' + pad(t.getMinutes()) + (seconds ? ':' + pad(t.getSeconds()) : '');
  }

  function key(p) {
    return p.timestamp + '|' + p.path + '|' + p.browser + '|' + p.country;
  }

  /** The newest pageviews; ones not shown before slide in at the top. */
  function feed(recent) {
    var list = $('recent');
    var first = seen === null;
    var next = {};
    list.textContent = '';
    if (!recent.length) {
      list.appendChild(el('li', 'empty', list.getAttribute('data-empty')));
    }
    recent.slice(0, FEED_SIZE).forEach(function (p) {
      var k = key(p);
      next[k] = true;
      var li = el('li', first || seen[k] ? '' : 'enter');
      var when = el('time', 'ago');
      when.setAttribute('datetime', p.timestamp);
      li.appendChild(when);
      var main = el('div', 'what');
      main.appendChild(el('span', 'path', p.path));
      if (p.title) main.appendChild(el('span', 'title', p.title));
      li.appendChild(main);
      var meta = [];
      if (p.country) meta.push(countryName(p.country));
      if (p.browser) meta.push(p.browser + (p.device ? ' · ' + p.device : ''));
      if (p.referrer) meta.push('from ' + p.referrer);
      li.appendChild(el('div', 'meta', meta.join(' · ')));
      list.appendChild(li);
    });
    seen = next;
    ageFeed();
  }

  function ageFeed() {
    var times = document.querySelectorAll('#recent time');
    var now = Date.now();
    for (var i = 0; i < times.length; i++) {
      var s = Math.max(0, Math.round((now - Date.parse(times[i].getAttribute('datetime'))) / 1000));
      times[i].textContent = s < 5 ? 'now' : s < 60 ? s + 's' : Math.floor(s / 60) + 'm';
    }
  }

  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (lastSnapshot) chartOf(lastSnapshot);
    }, 150);
  });

  // ---- start ---------------------------------------------------------------------------------

  showWindow();
  if (isPrivate) tokenFromLink();
  fetch(body.getAttribute('data-countries'), { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (names) {
      countryNames = names;
      if (lastSnapshot) render(lastSnapshot);
    })['catch'](function () {});
  connect();
})();
