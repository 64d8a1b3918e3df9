/* Live turnout panel of an owners' vote: polls the panel's JSON every 15 s and updates the numbers and the
   progress bars in place. Without JavaScript the page shows the same numbers and a 刷新 link. */
(function () {
  "use strict";

  var POLL_MS = 15000;

  function update(panel, data) {
    panel.querySelectorAll("[data-field]").forEach(function (node) {
      var name = node.getAttribute("data-field");
      var key = name.replace(/_text$/, "");
      if (!(key in data)) {
        return;
      }
      var value = data[key];
      if (node.tagName === "PROGRESS") {
        node.value = value;
        node.textContent = value + "%";
      } else if (typeof value === "boolean") {
        node.textContent = node.getAttribute(value ? "data-yes" : "data-no") || "";
      } else {
        node.textContent = value;
      }
    });
    (data.by_channel || []).forEach(function (row) {
      var node = panel.querySelector('[data-channel="' + row.channel + '"]');
      if (node) {
        node.textContent = row.owners;
      }
    });
  }

  function poll(panel) {
    var url = panel.getAttribute("data-turnout-url");
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          update(panel, data);
        }
      })
      .catch(function () {
        /* keep the last numbers; the 刷新 link still works */
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-turnout-url]");
    if (!panel) {
      return;
    }
    window.setInterval(function () {
      if (!document.hidden) {
        poll(panel);
      }
    }, POLL_MS);
  });
})();
