/* Pulse live dashboard, part 5 of 5: the connection. One EventSource on
   /api/sites/{site}/stream with the window and the filters of the page's address; a new window
   or filter opens a new one. The stream is a delta stream (delta=json-patch): a whole snapshot
   first, on every (re)connect, then JSON Patches (RFC 6902) of what changed: a new pageview is
   one item added to the newest pageviews, not the list again. Rendering is in live-render.js,
   live-tables.js and live-map.js. */
(function () {
  'use strict';

  var P = window.PulseLive;
  var $ = P.$;
  var body = document.body;
  var site = body.getAttribute('data-site');
  var isPrivate = body.getAttribute('data-access') === 'private';
  var tokenKey = 'pulse.token.' + site;
  var WINDOWS = { 60: '1m', 300: '5m', 1800: '30m' };
  var STALE_AFTER_MS = 10000;   // trouble for this long turns "reconnecting" into "stale"
  var SILENT_MS = 75000;        // a stream pushes at least once a minute; silence means it hangs
  var MAX_RETRY_MS = 3000;      // a server back from a restart is found within this (its retry:)

  var windowSeconds = initialWindow();
  var source = null;
  var troubleSince = 0;         // when the connection went wrong (ms), 0 while fine
  var retryDelay = 1000;
  var retryTimer = 0;
  var generation = 0;           // bumps on every (re)connect, so late callbacks of old ones stop
  var lastSnapshot = null;
  var shownGeneration = -1;     // the connection whose snapshot the page shows

  // ---- the window selector and the page's address --------------------------------------------

  function initialWindow() {
    var m = /[?&]window=(\d+)([smh]?)/.exec(location.search);
    if (!m) return 300;
    var n = +m[1] * (m[2] === 'm' ? 60 : m[2] === 'h' ? 3600 : 1);
    return WINDOWS[n] ? n : 300;
  }

  /** The address says the window, the filters and TV mode, so that a reload keeps them. */
  P.writeAddress = function () {
    var query = (windowSeconds !== 300 || P.filters.list().length ? '&window=' + WINDOWS[windowSeconds] : '')
      + P.filters.query() + (P.tv ? '&tv=1' : '');
    history.replaceState(null, '', location.pathname + (query ? '?' + query.slice(1) : '')
      + location.hash);
  };

  function showWindow() {
    var buttons = document.querySelectorAll('[data-window]');
    for (var i = 0; i < buttons.length; i++) {
      var b = buttons[i];
      b.setAttribute('aria-pressed', +b.getAttribute('data-window') === windowSeconds);
    }
    $('window-label').textContent = 'in the last ' + (windowSeconds === 60 ? 'minute'
      : windowSeconds / 60 + ' minutes');
  }

  /** New figures are coming (another window or filter): say so until they are here. */
  function reconnect() {
    P.resetFeed();
    $('dash').setAttribute('aria-busy', 'true');
    setState('loading');
    connect();
  }

  document.querySelector('.windows').addEventListener('click', function (e) {
    var b = e.target.closest('[data-window]');
    if (!b) return;
    var w = +b.getAttribute('data-window');
    if (w === windowSeconds) return;
    windowSeconds = w;
    P.writeAddress();
    showWindow();
    reconnect();
  });

  P.filters.onChange(reconnect);

  // ---- connection ----------------------------------------------------------------------------

  function setState(state) {
    var el = $('state');
    el.setAttribute('data-state', state);
    var text;
    if (state === 'live') text = 'Live';
    else if (state === 'reconnecting') text = 'Reconnecting…';
    else if (state === 'stale') text = 'Stale · last update ' + (P.lastUpdate ? P.clock(P.lastUpdate) : 'never');
    else if (state === 'locked') text = 'Token needed';
    else if (state === 'loading') text = 'Loading…';
    else if (state === 'refused') text = 'Filter refused';
    else text = 'Connecting…';
    $('state-text').textContent = text;
    el.title = P.lastUpdate ? 'Last update ' + P.clock(P.lastUpdate) : '';
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
    var url = '/api/sites/' + encodeURIComponent(site) + '/stream?window=' + windowSeconds
      + P.filters.query() + '&delta=json-patch';
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

  /**
   * RFC 7386: the patch's members replace the target's, null removes one, objects merge member
   * by member, anything else (arrays too) is taken whole. Returns a new value; the target (the
   * snapshot on the page) is not changed.
   */
  function mergePatch(target, patch) {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
    var out = {};
    var k;
    if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
      for (k in target) if (Object.prototype.hasOwnProperty.call(target, k)) out[k] = target[k];
    }
    for (k in patch) {
      if (!Object.prototype.hasOwnProperty.call(patch, k)) continue;
      if (patch[k] === null) delete out[k];
      else out[k] = mergePatch(out[k], patch[k]);
    }
    return out;
  }
  P.mergePatch = mergePatch;

  /** A JSON Pointer's (RFC 6901) reference tokens: '' is the whole document. */
  function pointer(path) {
    if (path === '') return [];
    if (path.charAt(0) !== '/') throw new Error('not a JSON Pointer: ' + path);
    return path.substring(1).split('/').map(function (t) {
      return t.replace(/~1/g, '/').replace(/~0/g, '~');
    });
  }

  /** An array index token: digits without a leading zero, at most the given bound. */
  function index(token, max) {
    if (!/^(0|[1-9][0-9]*)$/.test(token) || +token > max) throw new Error('bad index: ' + token);
    return +token;
  }

  /** A shallow copy of an object or array, so that the target is left as it was. */
  function copy(value) {
    if (Array.isArray(value)) return value.slice();
    var out = {};
    for (var k in value) if (Object.prototype.hasOwnProperty.call(value, k)) out[k] = value[k];
    return out;
  }

  /**
   * RFC 6902 with the operations the server sends (add, remove, replace; it sends no move, copy
   * or test): applies them in order and returns a new document. Only the objects and arrays on
   * an operation's path are copied; the target (the snapshot on the page) is not changed. An
   * operation that does not apply throws: the caller then needs a whole snapshot.
   */
  function jsonPatch(target, ops) {
    var doc = target;
    for (var i = 0; i < ops.length; i++) {
      var op = ops[i];
      var tokens = pointer(op.path);
      if (op.op !== 'add' && op.op !== 'remove' && op.op !== 'replace') {
        throw new Error('unsupported operation: ' + op.op);
      }
      if (tokens.length === 0) {
        if (op.op === 'remove') throw new Error('cannot remove the whole document');
        doc = op.value;
        continue;
      }
      var root = copy(doc);
      var parent = root;
      for (var t = 0; t < tokens.length - 1; t++) {
        var key = Array.isArray(parent) ? index(tokens[t], parent.length - 1) : tokens[t];
        var child = parent[key];
        if (child === null || typeof child !== 'object'
            || !Object.prototype.hasOwnProperty.call(parent, key)) {
          throw new Error('no such path: ' + op.path);
        }
        parent[key] = copy(child);
        parent = parent[key];
      }
      var last = tokens[tokens.length - 1];
      if (Array.isArray(parent)) {
        if (op.op === 'add') {
          parent.splice(last === '-' ? parent.length : index(last, parent.length), 0, op.value);
        } else {
          var at = index(last, parent.length - 1);
          if (op.op === 'remove') parent.splice(at, 1);
          else parent[at] = op.value;
        }
      } else if (parent !== null && typeof parent === 'object') {
        if (op.op !== 'add' && !Object.prototype.hasOwnProperty.call(parent, last)) {
          throw new Error('no such member: ' + op.path);
        }
        if (op.op === 'remove') delete parent[last];
        else parent[last] = op.value;
      } else {
        throw new Error('no such path: ' + op.path);
      }
      doc = root;
    }
    return doc;
  }
  P.jsonPatch = jsonPatch;

  function open(url, mine) {
    var es = new EventSource(url);
    // the document this connection holds: each (re)connect starts with a whole snapshot, and a
    // patch applies only on top of one
    var doc = null;
    source = es;
    P.stream = es;                    // the open stream, for whoever wants to know its address
    if (P.onStream) P.onStream(es);   // live-alerts.js: the alert banners
    es.onopen = function () {
      if (mine !== generation) return;
      troubleSince = 0;
      retryDelay = 1000;
      // "Live" only once this connection's figures are on the page
      setState(shownGeneration === mine ? 'live' : 'loading');
    };
    function show(snapshot) {
      P.lastUpdate = Date.now();
      troubleSince = 0;
      setState('live');
      doc = snapshot;
      shownGeneration = mine;
      $('dash').setAttribute('aria-busy', 'false');
      render(snapshot);
    }
    es.addEventListener('snapshot', function (e) {
      if (mine !== generation) return;
      var snapshot;
      try {
        snapshot = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      show(snapshot);
    });
    // a JSON Patch is an array of operations, a merge patch an object
    es.addEventListener('patch', function (e) {
      if (mine !== generation || doc === null) return;
      var patch;
      var next;
      try {
        patch = JSON.parse(e.data);
      } catch (err) {
        return;
      }
      try {
        next = Array.isArray(patch) ? jsonPatch(doc, patch) : mergePatch(doc, patch);
      } catch (err) {
        // a patch that does not apply to what this page holds: start again from a whole snapshot
        connect();
        return;
      }
      show(next);
    });
    // the browser reconnects by itself after an error; the server then sends a whole snapshot
    es.addEventListener('error', function () { doc = null; });
    // the server is shutting down: reconnect (to another instance behind the balancer)
    es.addEventListener('close', function () {
      if (mine === generation) retryLater();
    });
    es.onerror = function () {
      if (mine !== generation) return;
      // CONNECTING: the browser retries by itself; CLOSED: refused (an expired ticket, a limit)
      if (es.readyState !== EventSource.CLOSED) trouble();
      else if (P.filters.list().length) whyRefused(mine);
      else retryLater();
    };
  }

  /**
   * A filtered stream was refused: asks the snapshot route why (an EventSource cannot read the
   * error). A bad filter (400) is shown and not retried; past the site's cap of filters (429)
   * the page says so and tries again when the server says it may.
   */
  function whyRefused(mine) {
    closeSource();
    var headers = {};
    var token = isPrivate && sessionStorage.getItem(tokenKey);
    if (token) headers.Authorization = 'Bearer ' + token;
    fetch('/api/sites/' + encodeURIComponent(site) + '/realtime?window=' + windowSeconds
      + P.filters.query(), { cache: 'no-store', credentials: 'omit', headers: headers })
      .then(function (r) {
        if (mine !== generation) return;
        if (r.status !== 400 && r.status !== 429) {
          retryLater();
          return;
        }
        var wait = +(r.headers.get('Retry-After') || 0);
        return r.json().then(function (e) {
          if (mine !== generation) return;
          P.filters.error(e.error || 'The server refused this filter.');
          setState('refused');
          if (r.status === 429) retryTimer = setTimeout(connect, Math.max(1, wait) * 1000);
        });
      })['catch'](function () {
        if (mine === generation) retryLater();
      });
  }

  setInterval(function () {
    if (troubleSince) trouble();
    else if (source && P.lastUpdate && Date.now() - P.lastUpdate > SILENT_MS) retryLater();
    P.ageFeed();
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

  function render(s) {
    lastSnapshot = s;
    P.setText('active', s.activeVisitors);
    $('active-noun').textContent = s.activeVisitors === 1 ? 'visitor' : 'visitors';
    if (!($('present-box').hidden = s.present === undefined)) P.setText('present', s.present);
    P.setText('pageviews', s.pageviews);
    if (s.today) {
      P.setText('today-visitors', s.today.visitors);
      P.setText('today-pageviews', s.today.pageviews);
    }
    $('today-note').hidden = !P.filters.list().length;
    $('updated').textContent = 'updated ' + P.clock(P.lastUpdate || Date.now());
    document.title = s.activeVisitors + ' online · ' + site + ' · Pulse';
    P.chartOf(s);
    P.baselineOf(s);
    P.tables(s);
    P.shadeMap(s.countries);
    P.feed(s.recent || []);
  }

  var resizeTimer = 0;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      if (lastSnapshot) P.chartOf(lastSnapshot);
      P.history.redraw();
    }, 150);
  });

  // ---- start ---------------------------------------------------------------------------------

  if (P.tv) {
    body.classList.add('tv');
    $('map-caption').hidden = true;
  }
  showWindow();
  P.showFilterChips();
  if (isPrivate) tokenFromLink();
  fetch(body.getAttribute('data-countries'), { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.json() : {}; })
    .then(function (names) {
      P.setCountryNames(names);
      P.showFilterChips();
      if (lastSnapshot) render(lastSnapshot);
    })['catch'](function () {});
  P.loadMap(body.getAttribute('data-map'));
  connect();
  P.history.start();
})();
