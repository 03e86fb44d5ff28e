// The navigation drawer below 1220 px (phones, tablets, 400% zoom, a laptop at 125% zoom), for
// keyboards and screen readers. Material's drawer shows one pane at a time (the top level, a
// section, the page's table of contents), each opened and closed by a <label> for a hidden
// checkbox, which a keyboard can neither reach nor press.
// - Each such label gets a real button beside it, toggling the same checkbox, with aria-expanded:
//   a section's entry opens its pane, the pane's title goes back. theme.css shows the buttons
//   instead of the labels where the drawer is used, and hides panes that are not on top.
// - While the drawer is open the rest of the page is inert, focus starts in the drawer, a close
//   button is always at its top, and Escape closes it; focus then returns to the menu button.
// The close button is named and drawn with what the page already has (the navigation's name,
// Material's close icon), so this script holds no words.
(function () {
  "use strict";

  var NARROW = window.matchMedia("screen and (max-width: 76.234375em)"); // Material's drawer
  var FOCUSABLE = "a[href], button:not([hidden])";

  function visible(el) {
    return el.getClientRects().length > 0 && el.checkVisibility({ visibilityProperty: true });
  }

  function enhance() {
    var drawer = document.getElementById("__drawer");
    var sidebar = document.querySelector(".md-sidebar--primary");
    var navigation = sidebar && sidebar.querySelector(".md-nav--primary");
    if (!drawer || !navigation) return;
    var buttons = new Map(); // checkbox id -> its buttons

    function sync(toggle) {
      (buttons.get(toggle.id) || []).forEach(function (button) {
        button.setAttribute("aria-expanded", String(toggle.checked));
      });
    }

    // Labels that open a pane (a section's entry, the page's "table of contents" entry) and the
    // pane titles that close it again.
    navigation.querySelectorAll("label.md-nav__link[for], label.md-nav__title[for]").forEach(function (label) {
      var toggle = document.getElementById(label.htmlFor);
      if (!toggle || !toggle.classList.contains("md-nav__toggle")) return;
      var pane = toggle.parentElement.querySelector(":scope > .md-nav, :scope > * > .md-nav");
      if (!pane) return;
      var opens = label.classList.contains("md-nav__link");
      var button = document.createElement("button");
      button.type = "button";
      button.className = label.className + " sog-nav-button";
      button.dataset.sogFor = toggle.id;
      label.childNodes.forEach(function (node) { button.appendChild(node.cloneNode(true)); });
      if (!button.textContent.trim()) {
        // A section with its own index page: Material's label is an arrow beside the link.
        var title = pane.querySelector(":scope > .md-nav__title");
        button.setAttribute("aria-label", title ? title.textContent.trim() : "");
      }
      if (!pane.id) pane.id = toggle.id + "_pane";
      button.setAttribute("aria-controls", pane.id);
      button.addEventListener("click", function () {
        toggle.click();
        // The control just pressed is now under the other pane: focus goes with the reader.
        if (opens && toggle.checked) {
          var back = pane.querySelector(":scope > .sog-nav-button");
          if (back) back.focus({ preventScroll: true });
        } else if (!opens && !toggle.checked) {
          var entry = (buttons.get(toggle.id) || []).filter(function (other) { return other !== button; })[0];
          if (entry) entry.focus();
        }
      });
      label.dataset.sogReplaced = "";
      label.before(button);
      buttons.set(toggle.id, (buttons.get(toggle.id) || []).concat(button));
      if (buttons.get(toggle.id).length === 1) toggle.addEventListener("change", function () { sync(toggle); });
      sync(toggle);
    });

    var menuButton = function () { return document.querySelector(".sog-header-button--drawer"); };
    var close = document.createElement("button");
    close.type = "button";
    close.className = "sog-drawer-close md-icon";
    close.setAttribute("aria-label", navigation.getAttribute("aria-label"));
    close.setAttribute("aria-expanded", "true");
    if (!sidebar.id) sidebar.id = "sog-drawer";
    close.setAttribute("aria-controls", sidebar.id);
    var icon = document.querySelector('.md-search__options [type="reset"] svg');
    if (icon) close.appendChild(icon.cloneNode(true));
    close.addEventListener("click", function () { closeDrawer(); });
    navigation.before(close);

    // Everything but the drawer (and the overlay a mouse clicks to close it) is inert while open.
    var inert = [];
    function setInert(on) {
      inert.forEach(function (el) { el.inert = false; });
      inert = [];
      if (!on) return;
      for (var node = sidebar; node !== document.body; node = node.parentElement) {
        Array.prototype.forEach.call(node.parentElement.children, function (sibling) {
          if (sibling === node || sibling.matches("input, .md-overlay, script") || sibling.inert) return;
          sibling.inert = true;
          inert.push(sibling);
        });
      }
    }

    function closeDrawer() {
      if (drawer.checked) drawer.click();
      var button = menuButton();
      if (button) button.focus();
    }

    var followedLink = false; // an in-page link in the drawer: Material closes the drawer after it
    window.addEventListener("hashchange", function () { followedLink = true; });

    function update() {
      var open = drawer.checked && NARROW.matches;
      setInert(open);
      if (open) {
        followedLink = false;
        var first = Array.prototype.filter.call(navigation.querySelectorAll(FOCUSABLE), visible)[0];
        if (first) first.focus({ preventScroll: true });
      } else if (sidebar.contains(document.activeElement) || document.activeElement === document.body) {
        var target = followedLink && document.getElementById(decodeURIComponent(location.hash.slice(1)));
        if (target) {
          // As GOV.UK's skip link does: focus the section itself, so Tab goes on from there.
          if (target.tabIndex < 0) target.setAttribute("tabindex", "-1");
          target.focus();
        } else if (drawer.checked === false && NARROW.matches && menuButton()) {
          menuButton().focus();
        }
      }
    }
    drawer.addEventListener("change", update);
    NARROW.addEventListener("change", update);

    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && drawer.checked && NARROW.matches) closeDrawer();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
