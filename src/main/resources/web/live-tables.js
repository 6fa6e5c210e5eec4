/* Pulse live dashboard, part 2 of 5: the ranked tables. A row of a dimension the snapshot can be
   filtered by (data-dim, data-value) filters the dashboard when clicked (live-filters.js). A
   section whose field the snapshot lacks (a server older than the section) stays hidden. */
(function () {
  'use strict';

  var P = window.PulseLive;
  var ROWS = 8;
  var BOT_CLASSES = [['search', 'Search engines'], ['ai', 'AI crawlers'], ['monitor', 'Monitors'],
    ['script', 'Scripts'], ['other', 'Other bots']];

  /**
   * A ranked list: each row's bar is as wide as its share of the top row.
   * opts: label(row), tag(row), title(row), dim and value(row) for a row that filters,
   * measure(row) for the bar (visitors), cells(row) for the figures ([visitors]), more(row) for
   * a line under the row.
   */
  P.bars = function (id, rows, opts) {
    opts = opts || {};
    var list = P.$(id);
    var measure = opts.measure || function (r) { return r.visitors; };
    rows = (rows || []).slice(0, opts.limit || ROWS);
    list.textContent = '';
    if (!rows.length) {
      list.appendChild(P.el('li', 'empty', list.getAttribute('data-empty')));
      return;
    }
    var max = Math.max.apply(null, rows.map(measure)) || 1;
    rows.forEach(function (row) {
      var li = P.el('li');
      var bar = P.el('span', 'bar');
      bar.style.width = Math.max(2, Math.round(100 * measure(row) / max)) + '%';
      li.appendChild(bar);
      var name = P.el('span', 'name');
      if (opts.tag) name.appendChild(P.el('span', 'tag', opts.tag(row)));
      name.appendChild(document.createTextNode(opts.label(row)));
      li.appendChild(name);
      var cells = opts.cells ? opts.cells(row) : [P.number(row.visitors)];
      cells.forEach(function (c, i) {
        li.appendChild(P.el('span', i === 0 ? 'value' : 'value cell', c));
      });
      if (opts.title) li.title = opts.title(row);
      if (opts.dim) pickable(li, opts.dim, opts.value(row));
      if (opts.more) {
        var more = opts.more(row);
        if (more) {
          li.classList.add('has-more');
          li.appendChild(P.el('span', 'more', more));
        }
      }
      list.appendChild(li);
    });
  };

  /** A row that filters the dashboard by its value; the active filter's row is marked. */
  function pickable(li, dim, value) {
    li.setAttribute('data-dim', dim);
    li.setAttribute('data-value', value);
    if (P.filters && P.filters.has(dim, value)) li.classList.add('picked');
    if (P.tv) return;
    li.classList.add('pick');
    li.tabIndex = 0;
    li.setAttribute('role', 'button');
  }
  P.pickable = pickable;

  function show(id, present) {
    P.$(id).hidden = !present;
    return present;
  }

  function visitorsWord(n) {
    return n === 1 ? ' visitor' : ' visitors';
  }

  /** Every table of a snapshot. */
  P.tables = function (s) {
    pages(s);
    P.bars('referrers', s.referrers, { label: function (r) { return r.domain; },
      dim: 'referrer', value: function (r) { return r.domain; } });
    P.bars('countries', s.countries, { label: function (c) { return P.countryName(c.code); },
      tag: function (c) { return c.code; }, dim: 'country', value: function (c) { return c.code; } });
    ['browsers', 'os', 'devices'].forEach(function (field) {
      if (field === 'os' && !show('os-part', !!s.os)) return;
      P.bars(field, s[field], { label: function (r) { return r.name; },
        dim: field === 'browsers' ? 'browser' : field === 'devices' ? 'device' : 'os',
        value: function (r) { return r.name; } });
    });
    if (show('entry-card', !!s.entryPages)) {
      P.bars('entry-pages', s.entryPages, { label: function (p) { return p.path; } });
    }
    campaigns(s.campaigns);
    events(s.events);
    bots(s.bots);
  };

  /** What visitors are reading now: a page they have all left is not a "0" row. */
  function pages(s) {
    var rows = (s.pages || []).filter(function (p) { return p.visitors > 0; });
    var detailed = rows.some(function (p) { return p.present !== undefined; })
      || s.present !== undefined;
    P.$('pages-cols').hidden = !detailed;
    P.bars('pages', rows, {
      label: function (p) { return p.path; },
      dim: 'path', value: function (p) { return p.path; },
      cells: detailed ? function (p) {
        return [P.number(p.visitors), P.number(p.present || 0),
          p.engagedSeconds ? P.duration(p.engagedSeconds) : '–'];
      } : null,
      title: function (p) {
        return p.visitors + visitorsWord(p.visitors) + ', ' + p.pageviews
          + (p.pageviews === 1 ? ' pageview' : ' pageviews')
          + (p.present !== undefined ? ', ' + p.present + ' reading now' : '')
          + (p.engagedSeconds ? ', median engaged time ' + P.duration(p.engagedSeconds) : '');
      }
    });
  }

  function campaigns(c) {
    if (!show('campaigns-card', !!c)) return;
    [['sources', 'utm_source'], ['mediums', 'utm_medium'], ['campaigns', 'utm_campaign']]
      .forEach(function (part) {
        P.bars('campaign-' + part[0], c[part[0]], { label: function (r) { return r.name; },
          dim: part[1], value: function (r) { return r.name; } });
      });
  }

  /** Custom events by name, with the top values of their properties under each. */
  function events(list) {
    if (!show('events-card', !!list)) return;
    P.bars('events', list, {
      label: function (e) { return e.name; },
      dim: 'event', value: function (e) { return e.name; },
      measure: function (e) { return e.count; },
      cells: function (e) { return [P.number(e.count), P.number(e.visitors)]; },
      title: function (e) {
        return e.count + (e.count === 1 ? ' time' : ' times') + ' by ' + e.visitors
          + visitorsWord(e.visitors);
      },
      more: function (e) {
        return Object.keys(e.props || {}).map(function (prop) {
          return prop + ': ' + e.props[prop].slice(0, 3).map(function (v) {
            return v.value + ' ' + P.number(v.count);
          }).join(', ');
        }).join(' · ');
      }
    });
  }

  /** Requests dropped as bots in the window, by class. */
  function bots(b) {
    if (!show('bots-card', !!b)) return;
    var rows = BOT_CLASSES.map(function (c) { return { name: c[1], count: b[c[0]] || 0 }; })
      .filter(function (r) { return r.count > 0; })
      .sort(function (x, y) { return y.count - x.count; });
    var total = rows.reduce(function (sum, r) { return sum + r.count; }, 0);
    P.$('bots-total').textContent = P.number(total);
    P.bars('bots', rows, { label: function (r) { return r.name; },
      measure: function (r) { return r.count; },
      cells: function (r) { return [P.number(r.count)]; } });
  }
})();
