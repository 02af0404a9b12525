/* Live counters under the channel-variant fields, measured by the hub (channels.textlimits). */
(function () {
  "use strict";
  var FIELDS = ["sms_text", "social_text", "led_text", "loudspeaker_text", "zalo_text"];
  var DELAY = 250;

  function t(key) {
    var labels = window.hubCounterLabels || {};
    return labels[key] || key;
  }

  function fieldValue(name) {
    var el = document.querySelector('[name="' + name + '"]');
    return el ? el.value : "";
  }

  function line(parts) {
    return parts.filter(Boolean).join(" · ");
  }

  function render(box, data) {
    var lines = [];
    if (data.sms) {
      var s = data.sms, a = data.sms_ascii;
      lines.push(line([
        t("SMS") + ": " + s.chars + " " + t("characters"),
        s.encoding,
        s.segments + "/" + s.max_segments + " " + t("segments"),
        s.remaining + " " + t("remaining"),
      ]));
      lines.push(line([
        t("Without diacritics") + ": " + a.chars + " " + t("characters"),
        a.encoding,
        a.segments + "/" + a.max_segments + " " + t("segments"),
        a.remaining + " " + t("remaining"),
      ]));
    }
    if (data.x) {
      lines.push(line([t("X") + ": " + data.x.weighted + "/" + data.x.max + " " + t("weighted, link included"),
        data.x.remaining + " " + t("remaining")]));
    }
    if (data.zalo) {
      lines.push(t("Zalo") + ": " + data.zalo.chars + "/" + data.zalo.max + " " + t("characters"));
    }
    if (data.led) {
      lines.push(t("LED") + ": " + data.led.chars + "/" + data.led.max + " " + t("characters"));
    }
    if (data.loudspeaker) {
      var l = data.loudspeaker;
      lines.push(line([t("Loudspeaker") + ": " + l.words + " " + t("words"),
        t("about") + " " + l.seconds + " s " + t("read aloud") + " (" + t("at most") + " " + l.max + " s)"]));
    }
    box.querySelector(".hub-counter__figures").textContent = lines.join("\n");
    var variant = box.querySelector(".hub-counter__variant");
    var shown = [];
    if (data.derived && data.text) {
      shown.push(t("Derived text that will be sent") + ": " + data.text);
    }
    if (data.x && data.sent) {
      shown.push(t("Post as it will be sent") + ": " + data.sent);
    }
    if (data.ascii_text) {
      shown.push(t("Diacritic-free variant") + ": " + data.ascii_text);
    }
    variant.textContent = shown.join("\n");
    var error = box.querySelector(".hub-counter__error");
    error.textContent = data.error || "";
    box.classList.toggle("hub-counter--over", Boolean(data.error));
  }

  function attach(input, url) {
    var name = input.getAttribute("name");
    var box = document.createElement("div");
    box.className = "hub-counter";
    box.setAttribute("data-hub-counter", name);
    box.setAttribute("aria-live", "polite");
    box.innerHTML = '<div class="hub-counter__figures"></div><div class="hub-counter__variant"></div>' +
      '<div class="hub-counter__error" role="alert"></div>';
    input.insertAdjacentElement("afterend", box);
    var timer = null;
    var sequence = 0;
    function update() {
      var mine = ++sequence;
      var body = new FormData();
      body.append("field", name);
      body.append("text", input.value);
      body.append("title", fieldValue("title"));
      body.append("summary", fieldValue("summary"));
      var editing = window.location.pathname.match(/\/pages\/(\d+)\/edit\//);
      body.append("page", editing ? editing[1] : "");
      var adding = window.location.pathname.match(/\/pages\/add\/[^/]+\/[^/]+\/(\d+)\//);
      body.append("parent", adding ? adding[1] : "");
      body.append("slug", fieldValue("slug"));
      var csrf = document.querySelector('input[name="csrfmiddlewaretoken"]');
      fetch(url, {method: "POST", body: body, credentials: "same-origin",
        headers: {"X-CSRFToken": csrf ? csrf.value : ""}})
        .then(function (response) { return response.json(); })
        .then(function (data) { if (mine === sequence && !data.error_code) { render(box, data); } })
        .catch(function () { /* counters are advisory; the server still validates on submit */ });
    }
    function schedule() {
      clearTimeout(timer);
      timer = setTimeout(update, DELAY);
    }
    input.addEventListener("input", schedule);
    ["title", "summary"].forEach(function (other) {
      var el = document.querySelector('[name="' + other + '"]');
      if (el) { el.addEventListener("input", schedule); }
    });
    update();
  }

  function init() {
    var config = document.getElementById("hub-counter-config");
    if (!config) { return; }
    var url = config.getAttribute("data-url");
    FIELDS.forEach(function (name) {
      var input = document.querySelector('form [name="' + name + '"]');
      if (input && !input.dataset.hubCounter) {
        input.dataset.hubCounter = "on";
        attach(input, url);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
