// Suggestions for the search box in the page header, from the search API (same scope).
(function () {
  var box = document.getElementById("search-box");
  var list = document.getElementById("search-suggest");
  if (!box || !list) { return; }
  var timer = null;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    var text = box.value.trim();
    if (!text) { return; }
    timer = setTimeout(function () {
      fetch(box.dataset.suggest + "?q=" + encodeURIComponent(text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) {
          list.replaceChildren();
          data.suggestions.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
          });
        });
    }, 200);
  });
})();
