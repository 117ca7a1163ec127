"use strict";
async function takeNext() {
  const result = await api("GET", "/api/review/next");
  if (result.status === 204) { say("队列为空", false); return; }
  if (!result.ok) { say(result.data ? result.data.message : "领取失败", true); return; }
  window.location.href = result.data.url;
}
document.getElementById("take-next").addEventListener("click", takeNext);
document.addEventListener("keydown", (event) => {
  if ((event.key === "n" || event.key === "N") && !(event.target instanceof HTMLInputElement)) takeNext();
});
