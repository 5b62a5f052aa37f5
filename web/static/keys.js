// Keyboard moves for reading (the pages work without it):
//   j / k   next / previous message on a thread page
//   /       focus the search box
//   Escape  leave the search box
(function () {
  'use strict';

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }

  function messages() {
    return Array.prototype.slice.call(document.querySelectorAll('article.msg'));
  }

  function currentIndex(list) {
    var marked = document.querySelector('article.msg.current');
    if (marked) return list.indexOf(marked);
    if (location.hash) {
      var target = document.getElementById(location.hash.slice(1));
      var i = list.indexOf(target);
      if (i !== -1) return i;
    }
    // Otherwise: the last message whose top has scrolled past the top of the window.
    var index = -1;
    for (var k = 0; k < list.length; k++) {
      if (list[k].getBoundingClientRect().top <= 80) index = k;
    }
    return index;
  }

  function go(step) {
    var list = messages();
    if (list.length === 0) return;
    var from = currentIndex(list);
    var to = Math.max(0, Math.min(list.length - 1, from + step));
    if (from === -1 && step < 0) to = 0;
    var prev = document.querySelector('article.msg.current');
    if (prev) prev.classList.remove('current');
    var el = list[to];
    el.classList.add('current');
    el.scrollIntoView({ block: 'start' });
    el.focus({ preventScroll: true });
    if (history.replaceState) history.replaceState(null, '', '#' + el.id);
  }

  document.addEventListener('keydown', function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var active = document.activeElement;
    if (typing(active)) {
      if (ev.key === 'Escape') active.blur();
      return;
    }
    if (ev.key === '/') {
      var box = document.getElementById('q');
      if (box) {
        ev.preventDefault();
        box.focus();
        box.select();
      }
    } else if (ev.key === 'j') {
      ev.preventDefault();
      go(1);
    } else if (ev.key === 'k') {
      ev.preventDefault();
      go(-1);
    }
  });
})();
