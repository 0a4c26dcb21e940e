// DeputyHome's only script besides htmx: confirmations, print and copy buttons, the main menu.
// A form or button with data-confirm="..." asks before it submits (no inline handlers: CSP).
document.addEventListener("submit", function (event) {
  var form = event.target;
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // A form answered by a download (<form data-download="...">) stays on the page: its button says what next.
  var after = form.getAttribute("data-download");
  if (after && button) {
    window.setTimeout(function () {
      button.disabled = true;
      button.textContent = after;
    }, 0);
  }
});

// Print buttons: <button type="button" data-print>打印</button>
document.addEventListener("click", function (event) {
  var target = event.target.closest ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});

// 取消 where the page does not know where the user came from: <a href="/" data-back>; back in the history when the
// previous page was one of ours (a javascript: link would be refused by the CSP), else the link itself.
document.addEventListener("click", function (event) {
  var target = event.target.closest ? event.target.closest("a[data-back]") : null;
  if (target && window.history.length > 1 && document.referrer.indexOf(window.location.origin + "/") === 0) {
    event.preventDefault();
    window.history.back();
  }
});

// Copy buttons: <button type="button" hidden data-copy="TEXT">复制</button>, shown where the clipboard works.
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = "已复制";
      });
    });
  });
});

// Main menu: <details class="navgroup"> drop-downs work without script; with it, one is open at a time,
// and Escape, a click or the keyboard focus elsewhere closes it. ("toggle" does not bubble: capture it.)
function closeNavGroups(except) {
  document.querySelectorAll("details.navgroup[open]").forEach(function (group) {
    if (group !== except) group.open = false;
  });
}
document.addEventListener("toggle", function (event) {
  var group = event.target;
  if (group.matches && group.matches("details.navgroup") && group.open) closeNavGroups(group);
}, true);
function closeNavGroupsAround(event) {
  closeNavGroups(event.target.closest ? event.target.closest("details.navgroup") : null);
}
document.addEventListener("click", closeNavGroupsAround);
document.addEventListener("focusin", closeNavGroupsAround); // tabbing out of an open menu closes it
document.addEventListener("keydown", function (event) {
  if (event.key !== "Escape") return;
  var open = document.querySelector("details.navgroup[open]");
  if (!open) return;
  var hadFocus = open.contains(document.activeElement);
  closeNavGroups(null);
  if (hadFocus) open.querySelector("summary").focus();
});
