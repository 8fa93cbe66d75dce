// OCR progress: poll the item's progress while a job is queued or running; reload the page
// when all jobs have ended so the text read appears.
(function () {
  "use strict";
  var table = document.getElementById("scan-jobs");
  if (!table || table.dataset.active !== "1") { return; }
  var url = table.dataset.progressUrl;

  function show(job) {
    var row = table.querySelector('tr[data-job="' + job.id + '"]');
    if (!row) { return; }
    var bar = row.querySelector("progress");
    bar.max = job.pages_total;
    bar.value = job.pages_done;
    row.querySelector(".job-count").textContent = job.pages_done + "/" + job.pages_total;
    row.querySelector(".job-status .badge").textContent = job.status_label;
    row.querySelector(".job-attempts").textContent = job.attempts + "/" + job.max_attempts;
    row.querySelector(".job-error").textContent = job.error;
  }

  function poll() {
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        data.jobs.forEach(show);
        document.getElementById("scan-read").textContent = data.read;
        if (data.active) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  window.setTimeout(poll, 2000);
})();
