// While an upload is queued or being checked or saved, ask for its progress every second or two,
// show it in words, and reload the page once the job has finished. Without scripts the page
// offers a link to refresh it.
const progress = document.getElementById("upload-progress");
if (progress && progress.dataset.inProgress === "true") {
  const url = progress.dataset.statusUrl;
  const text = document.getElementById("upload-progress-text");
  const poll = async () => {
    try {
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (response.ok) {
        const status = await response.json();
        if (!status.in_progress) {
          window.location.reload();
          return;
        }
        if (text && status.progress) text.textContent = status.progress;
      }
    } catch (error) {
      // A dropped connection: try again at the next tick.
    }
    window.setTimeout(poll, 1500);
  };
  window.setTimeout(poll, 1000);
}
