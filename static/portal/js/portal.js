/* 社区共治平台: small progressive enhancements. Every page works without this file.
 *
 * - the community switcher (<details>) closes on Escape or a click elsewhere;
 * - forms with data-confirm="…" ask before they submit (e.g. a rejection, a withdrawal);
 * - the community filter narrows the sub-district list to the chosen district;
 * - window.portal.setUnreadCount(n) updates every [data-notifications-live] badge, for the
 *   notifications socket.
 */
(function () {
  "use strict";

  function closeSwitchers(except) {
    document.querySelectorAll("details.community-switcher[open]").forEach(function (details) {
      if (details !== except) {
        details.removeAttribute("open");
      }
    });
  }

  function enhanceSwitchers() {
    document.addEventListener("click", function (event) {
      var inside = event.target.closest ? event.target.closest("details.community-switcher") : null;
      closeSwitchers(inside);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var open = document.querySelector("details.community-switcher[open]");
      if (open) {
        open.removeAttribute("open");
        var summary = open.querySelector("summary");
        if (summary) {
          summary.focus();
        }
      }
    });
  }

  function enhanceConfirmations() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
      }
    });
  }

  /* <select data-district-select> drives <select data-sub-district-select>, whose optgroups carry
   * data-district="<id>". Without JavaScript every sub-district stays available. */
  function enhanceDistrictFilter() {
    var district = document.querySelector("select[data-district-select]");
    var subDistrict = document.querySelector("select[data-sub-district-select]");
    if (!district || !subDistrict) {
      return;
    }
    function narrow() {
      var chosen = district.value;
      subDistrict.querySelectorAll("optgroup[data-district]").forEach(function (group) {
        var visible = !chosen || group.getAttribute("data-district") === chosen;
        group.hidden = !visible;
        group.disabled = !visible;
      });
      var selected = subDistrict.selectedOptions && subDistrict.selectedOptions[0];
      if (selected && selected.parentElement && selected.parentElement.disabled) {
        subDistrict.value = "";
      }
    }
    district.addEventListener("change", narrow);
    narrow();
  }

  /* The badge is <span data-notifications-live><span data-count-value>3</span>
   * <span class="visually-hidden">unread</span></span>; it hides itself at zero. */
  function setUnreadCount(count) {
    var value = Math.max(0, parseInt(count, 10) || 0);
    document.querySelectorAll("[data-notifications-live]").forEach(function (badge) {
      var target = badge.querySelector("[data-count-value]") || badge;
      target.textContent = String(value);
      badge.hidden = value === 0;
    });
  }

  window.portal = window.portal || {};
  window.portal.setUnreadCount = setUnreadCount;

  function init() {
    enhanceSwitchers();
    enhanceConfirmations();
    enhanceDistrictFilter();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
