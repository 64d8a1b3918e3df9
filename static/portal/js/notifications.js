/* Live notifications over /ws/notifications/.
 *
 * Runs only when the page has an element marked [data-notifications-live] (the header's unread badge).
 * Each push updates the unread count and shows a small polite toast; the site works fully without it.
 */
(function () {
  "use strict";

  var badges = document.querySelectorAll("[data-notifications-live]");
  if (!badges.length || !("WebSocket" in window) || window.portalNotificationsLive) {
    return;
  }
  window.portalNotificationsLive = true; // loaded twice (base.html and a page) still opens one socket

  var REFUSED = 4401; // the server closes with this code for visitors who are not signed in
  var TOAST_SECONDS = 8;
  var retryDelay = 2000;
  var region = null;

  function liveRegion() {
    if (!region) {
      region = document.createElement("div");
      region.className = "toast-region";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function setCount(count) {
    badges.forEach(function (badge) {
      var target = badge.querySelector("[data-count-value]") || badge;
      var current = parseInt(target.textContent, 10) || 0;
      var value = typeof count === "number" ? count : current + 1;
      target.textContent = String(value);
      badge.hidden = value === 0;
    });
  }

  function showToast(message) {
    var toast = document.createElement("div");
    toast.className = "toast notice-box";
    var title = document.createElement(message.url ? "a" : "strong");
    title.textContent = message.title;
    if (message.url) {
      title.href = message.url;
    }
    toast.appendChild(title);
    if (message.body) {
      var body = document.createElement("p");
      body.textContent = message.body;
      toast.appendChild(body);
    }
    liveRegion().appendChild(toast);
    window.setTimeout(function () {
      toast.remove();
    }, TOAST_SECONDS * 1000);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/");
    socket.addEventListener("open", function () {
      retryDelay = 2000;
    });
    socket.addEventListener("message", function (event) {
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (message.type !== "notification") {
        return;
      }
      setCount(message.unread_count);
      showToast(message);
    });
    socket.addEventListener("close", function (event) {
      if (event.code === REFUSED) {
        return;
      }
      window.setTimeout(connect, retryDelay);
      retryDelay = Math.min(retryDelay * 2, 60000);
    });
  }

  connect();
})();
