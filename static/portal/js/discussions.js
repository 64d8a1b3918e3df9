/* 议事厅 live updates over WebSocket (issue 4). No library, no inline code; the pages work fully without it.
 *
 * Topic page: <ol id="posts" data-live-topic="<topic id>"> opens /ws/discussions/topics/<id>/.
 *   Reads on #posts:
 *     data-live-topic        the topic id (required)
 *     data-live-append       "true" on the last page of replies: new top-level posts are appended there;
 *                            elsewhere they are counted and #live-status offers a link to the last page
 *     data-last-page-url     (optional) where that link goes; default: this page with ?page=999999, which
 *                            the paginator turns into the last page
 *   Reads on #live-status (all optional; Chinese defaults below are used when absent):
 *     data-msg-received      "收到 {n} 条新回复"
 *     data-msg-more          "有 {n} 条新回复，点此查看"
 *   Updates [data-stance-tally] [data-stance-count="support|oppose|neutral"] from each push's tally.
 *
 * Topic list: <ol id="topic-list" data-live-community="<community id>"> opens
 *   /ws/discussions/communities/<id>/; a changed row replaces #topic-<id> and moves to the top, below the
 *   pinned rows (data-pinned="true"). On a filtered list (?building= ?kind= ?status=) or a later page, rows
 *   already shown are updated in place and no row is added. Reads on #live-status: data-msg-topic
 *   ("话题有新动态：{title}").
 *
 * On each (re)connection the client sends {"type": "catch_up", "after": <highest data-post-id shown>}; posts
 * already on the page (#post-<id>) are never added twice. Reconnects after 1, 2, 4 … 30 s (with jitter);
 * stops for good when the server refuses (4401 not signed in, 4403 not allowed).
 */
(function () {
  "use strict";

  if (!("WebSocket" in window) || !("content" in document.createElement("template"))) {
    return;
  }
  var posts = document.getElementById("posts");
  var list = document.getElementById("topic-list");
  var topicId = posts && posts.getAttribute("data-live-topic");
  var communityId = list && list.getAttribute("data-live-community");
  if (!topicId && !communityId) {
    return;
  }

  var STOP_CODES = { 4401: true, 4403: true };
  // The unfiltered first page of the topic list is the one where a changed topic moves to the top.
  var listIsLatestFirst = !/[?&](building|kind|status|page)=[^&]/.test(window.location.search);
  var MAX_DELAY = 30000;
  var status = document.getElementById("live-status");
  var unseen = {}; // ids of new top-level posts that belong on a later page (this is not the last page)
  var unseenCount = 0;
  var newestKnown = 0; // the newest post id this page knows of, shown or not
  var connections = 0;
  var received = 0; // posts announced since the last announcement was read
  var announceTimer = null;

  function message(name, fallback, n, title) {
    var text = (status && status.getAttribute("data-msg-" + name)) || fallback;
    return text.replace("{n}", String(n)).replace("{title}", title || "");
  }

  function fragment(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.firstElementChild;
  }

  function highestPostId() {
    var highest = parseInt((posts && posts.getAttribute("data-last-post-id")) || "0", 10) || 0;
    var shown = document.querySelectorAll("[data-post-id]");
    for (var i = 0; i < shown.length; i++) {
      var id = parseInt(shown[i].getAttribute("data-post-id"), 10);
      if (id > highest) {
        highest = id;
      }
    }
    return highest;
  }

  function announce(text) {
    if (!status) {
      return;
    }
    // Clear, then set on the next tick, so screen readers read a repeated message again.
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = text;
    }, 50);
  }

  function announceReceived() {
    received += 1;
    if (announceTimer) {
      return;
    }
    // Several posts in a burst make one announcement, not a stream of them.
    announceTimer = window.setTimeout(function () {
      announce(message("received", "收到 {n} 条新回复", received));
      received = 0;
      announceTimer = null;
    }, 800);
  }

  function lastPageUrl() {
    var url = posts.getAttribute("data-last-page-url");
    if (url) {
      return url;
    }
    return window.location.pathname + "?page=999999";
  }

  function showMoreLink() {
    if (!status) {
      return;
    }
    status.textContent = "";
    var link = document.createElement("a");
    link.href = lastPageUrl();
    link.className = "live-more";
    link.textContent = message("more", "有 {n} 条新回复，点此查看", unseenCount);
    status.appendChild(link);
  }

  function updateTally(tally) {
    if (!tally) {
      return;
    }
    var counts = document.querySelectorAll("[data-stance-tally] [data-stance-count]");
    for (var i = 0; i < counts.length; i++) {
      var stance = counts[i].getAttribute("data-stance-count");
      if (Object.prototype.hasOwnProperty.call(tally, stance)) {
        counts[i].textContent = String(tally[stance]);
      }
    }
  }

  function repliesOf(parentId) {
    var replies = document.getElementById("replies-" + parentId);
    if (replies) {
      return replies;
    }
    var parent = document.getElementById("post-" + parentId);
    if (!parent) {
      return null;
    }
    replies = document.createElement("ol");
    replies.className = "replies";
    replies.id = "replies-" + parentId;
    parent.appendChild(replies);
    return replies;
  }

  function postCreated(data) {
    updateTally(data.tally);
    var known = newestKnown;
    newestKnown = Math.max(newestKnown, data.id);
    if (document.getElementById("post-" + data.id)) {
      return; // already shown (a catch-up overlapping the live stream, or our own post after PRG)
    }
    var element = data.html && fragment(data.html);
    if (!element) {
      return;
    }
    if (data.parent_id) {
      var replies = repliesOf(data.parent_id);
      if (!replies) {
        return; // its thread is on another page
      }
      replies.appendChild(element);
      announceReceived();
      return;
    }
    if (posts.getAttribute("data-live-append") === "true") {
      posts.appendChild(element);
      var empty = document.getElementById("no-replies");
      if (empty) {
        empty.parentNode.removeChild(empty);
      }
      announceReceived();
    } else if (!unseen[data.id] && !(data.catch_up && (connections === 1 || data.id <= known))) {
      // The first catch-up of a page that is not the last one returns the later pages' posts: not new.
      // A catch-up after a reconnection brings what was missed: new when newer than anything seen before.
      unseen[data.id] = true;
      unseenCount += 1;
      showMoreLink();
    }
  }

  function postChanged(data) {
    updateTally(data.tally);
    var current = document.getElementById("post-" + data.id);
    var element = current && data.html && fragment(data.html);
    if (!element) {
      return;
    }
    // A top-level post keeps the replies already shown under it (the pushed fragment has none rendered
    // that this page may have loaded, and replies that arrived live).
    var oldReplies = current.querySelector("#replies-" + data.id);
    var newReplies = element.querySelector("#replies-" + data.id);
    if (oldReplies && newReplies) {
      newReplies.parentNode.replaceChild(oldReplies, newReplies);
    }
    current.parentNode.replaceChild(element, current);
  }

  function topicChanged(data) {
    var element = data.html && fragment(data.html);
    if (!element) {
      return;
    }
    var current = document.getElementById("topic-" + data.id);
    if (!listIsLatestFirst) {
      // A filtered list or a later page: the row may not belong here, so only a row already shown is updated.
      if (current) {
        current.parentNode.replaceChild(element, current);
      }
      return;
    }
    if (current) {
      current.parentNode.removeChild(current);
    }
    if (element.getAttribute("data-pinned") === "true") {
      list.insertBefore(element, list.firstElementChild);
    } else {
      var anchor = list.firstElementChild;
      while (anchor && anchor.getAttribute("data-pinned") === "true") {
        anchor = anchor.nextElementSibling;
      }
      list.insertBefore(element, anchor);
    }
    var title = element.querySelector("a");
    announce(message("topic", "话题有新动态：{title}", 0, title ? title.textContent : ""));
  }

  var path = topicId ? "/ws/discussions/topics/" + topicId + "/" : "/ws/discussions/communities/" + communityId + "/";
  var url = (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host + path;
  var attempts = 0;
  var stopped = false;

  function connect() {
    var socket;
    try {
      socket = new WebSocket(url);
    } catch (error) {
      return; // degrade silently: the page works by reloading
    }
    socket.onopen = function () {
      attempts = 0;
      connections += 1;
      if (topicId) {
        newestKnown = Math.max(newestKnown, highestPostId());
        socket.send(JSON.stringify({ type: "catch_up", after: Math.max(newestKnown, highestPostId()) }));
      }
    };
    socket.onmessage = function (event) {
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (!data || typeof data !== "object") {
        return;
      }
      if (data.type === "post.created" && topicId) {
        postCreated(data);
      } else if (data.type === "post.changed" && topicId) {
        postChanged(data);
      } else if (data.type === "topic.changed" && communityId) {
        topicChanged(data);
      }
    };
    socket.onclose = function (event) {
      if (stopped || STOP_CODES[event.code]) {
        stopped = true;
        return;
      }
      var delay = Math.min(MAX_DELAY, 1000 * Math.pow(2, attempts));
      attempts += 1;
      // Up to a quarter more, at random, so that a server restart is not met by every browser at once.
      window.setTimeout(connect, delay + Math.random() * delay * 0.25);
    };
  }

  window.addEventListener("pagehide", function () {
    stopped = true;
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && stopped) {
      stopped = false;
      attempts = 0;
      connect();
    }
  });
  connect();
})();
