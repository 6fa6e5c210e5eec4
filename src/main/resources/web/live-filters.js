/* Pulse live dashboard, part 4 of 5: filters. A click on a row adds dimension:value (one value
   per dimension: filters combine with AND, so two countries would match nobody); the active ones
   are chips that remove themselves when clicked. They live in the page's address
   (?filter=country%3ADE), so a filtered dashboard can be shared and reloaded. */
(function () {
  'use strict';

  var P = window.PulseLive;
  var MAX = 5;                  // the most filters the server combines
  var LABELS = { path: 'Page', country: 'Country', referrer: 'Referrer', browser: 'Browser',
    os: 'OS', device: 'Device', event: 'Event', utm_source: 'Source', utm_medium: 'Medium',
    utm_campaign: 'Campaign' };
  var active = fromAddress();
  var listeners = [];

  function fromAddress() {
    var list = [];
    new URLSearchParams(location.search).getAll('filter').forEach(function (f) {
      var i = f.indexOf(':');
      if (i > 0 && list.length < MAX) list.push({ dim: f.slice(0, i), value: f.slice(i + 1) });
    });
    return list;
  }

  function changed() {
    P.filters.error('');
    P.writeAddress();
    chips();
    listeners.forEach(function (f) { f(); });
  }

  P.filters = {
    list: function () { return active.slice(); },
    has: function (dim, value) {
      return active.some(function (f) { return f.dim === dim && f.value === value; });
    },
    /** Filters by dim:value, in place of another value of that dimension. */
    add: function (dim, value) {
      if (P.filters.has(dim, value)) return;
      var others = active.filter(function (f) { return f.dim !== dim; });
      if (others.length >= MAX) {
        P.filters.error('At most ' + MAX + ' filters can be combined.');
        return;
      }
      others.push({ dim: dim, value: value });
      active = others;
      changed();
    },
    remove: function (i) {
      active.splice(i, 1);
      changed();
    },
    /** The filters as query parameters: "&filter=...". */
    query: function () {
      return active.map(function (f) {
        return '&filter=' + encodeURIComponent(f.dim + ':' + f.value);
      }).join('');
    },
    onChange: function (f) { listeners.push(f); },
    /** Says why the server refused the filters (or clears it). */
    error: function (text) {
      var e = P.$('filter-error');
      e.textContent = text;
      e.hidden = !text;
    }
  };

  function shown(f) {
    return f.dim === 'country' ? P.countryName(f.value) + ' (' + f.value + ')' : f.value;
  }

  /** The active filters as chips; in TV mode as plain labels. */
  function chips() {
    var bar = P.$('filters');
    var list = P.$('filter-chips');
    list.textContent = '';
    bar.hidden = !active.length;
    active.forEach(function (f, i) {
      var chip = P.el(P.tv ? 'span' : 'button', 'chip');
      chip.setAttribute('data-filter', f.dim + ':' + f.value);
      chip.appendChild(P.el('span', 'dim', (LABELS[f.dim] || f.dim) + ':'));
      chip.appendChild(document.createTextNode(' ' + shown(f)));
      if (!P.tv) {
        chip.type = 'button';
        chip.title = 'Remove this filter';
        chip.setAttribute('aria-label', 'Remove filter ' + f.dim + ': ' + f.value);
        chip.appendChild(P.el('span', 'x', '×'));
        chip.addEventListener('click', function () { P.filters.remove(i); });
      }
      list.appendChild(chip);
    });
    P.$('clear-filters').hidden = P.tv || active.length < 2;
  }
  P.showFilterChips = chips;

  P.$('clear-filters').addEventListener('click', function () {
    active = [];
    changed();
  });

  function pick(e) {
    if (P.tv) return;
    var row = e.target.closest && e.target.closest('.pick[data-dim]');
    if (!row) return;
    if (e.type === 'keydown' && e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    P.filters.add(row.getAttribute('data-dim'), row.getAttribute('data-value'));
  }
  P.$('dash').addEventListener('click', pick);
  P.$('dash').addEventListener('keydown', pick);
})();
