// While a clerk types a title, offer the three most likely schedule rows; one click (or
// Alt+1..3) fills in the row and its retention. Works without it: the selects stay usable.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-level]");
  if (!form) return;
  var title = form.querySelector("#id_title");
  var row = form.querySelector("#id_schedule_row_id");
  var retention = form.querySelector("#id_retention");
  var category = form.querySelector("#id_category");
  // The 门类 a schedule category is usually filed as (声像 may also be 录音/录像: left to the clerk).
  var CATEGORY_CODE = { "文书": "WS", "科技": "KJ", "专业": "ZY", "声像": "ZP", "电子": "SJ" };
  var box = document.getElementById("suggestions");
  var timer = null;
  var choices = [];

  function choose(s) {
    row.value = String(s.row_id);
    if (s.options.length) retention.value = s.options[0];
    if (CATEGORY_CODE[s.category]) category.value = CATEGORY_CODE[s.category];
    box.querySelectorAll("button").forEach(function (b) { b.classList.remove("chosen"); });
  }

  function render(list) {
    choices = list;
    box.textContent = "";
    if (!list.length) return;
    var label = document.createElement("div");
    label.className = "muted";
    // Below 0.3 even the best row is right only about half the time: say so plainly.
    label.textContent = list[0].score < 0.3
      ? "没有明显合适的条目，以下仅供参考，请核对归档范围后选择（Alt+1～3 选用）："
      : "建议的归档范围（Alt+1～3 选用）：";
    box.appendChild(label);
    list.forEach(function (s, i) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "secondary suggestion";
      b.textContent = (i + 1) + ". " + s.category + " " + s.number + " " + s.scope.slice(0, 30) +
        "（" + s.retention + "，" + s.confidence + "）";
      if (s.score >= 0.6) b.classList.add("likely");
      b.addEventListener("click", function () { choose(s); b.classList.add("chosen"); });
      box.appendChild(b);
    });
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var text = title.value.trim();
      if (text.length < 2) { render([]); return; }
      var url = "/api/v1/schedule/suggest?level=" + encodeURIComponent(form.dataset.suggestLevel) +
        "&title=" + encodeURIComponent(text);
      fetch(url, { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(render)
        .catch(function () { render([]); });
    }, 250);
  });

  document.addEventListener("keydown", function (e) {
    if (e.altKey && e.key >= "1" && e.key <= "3" && choices[+e.key - 1]) {
      e.preventDefault();
      choose(choices[+e.key - 1]);
    }
  });
})();
