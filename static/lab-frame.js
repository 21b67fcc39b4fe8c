// Sizes the cookie lab's frame to its content: the lab reports its height
// by postMessage, and only messages from that frame's own origin count.
(function () {
  var frame = document.querySelector('iframe.lab-frame');
  if (!frame) return;
  var labOrigin = new URL(frame.src, location.href).origin;
  window.addEventListener('message', function (event) {
    if (event.origin !== labOrigin || event.source !== frame.contentWindow) return;
    var data = event.data;
    if (!data || data.type !== 'stork:lab-height') return;
    var height = Math.round(Number(data.height));
    if (height > 0 && height < 20000) frame.style.height = height + 'px';
  });
})();
