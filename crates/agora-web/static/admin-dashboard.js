// Draws the daily GMV chart of the admin dashboard from the data-chart attribute.
(function () {
  var el = document.getElementById('gmv-chart');
  if (!el || !window.echarts) { return; }
  var data;
  try { data = JSON.parse(el.getAttribute('data-chart')); } catch (e) { return; }
  var chart = window.echarts.init(el, null, { renderer: 'canvas' });
  chart.setOption({
    aria: { enabled: true },
    animation: false,
    grid: { left: 48, right: 16, top: 24, bottom: 32 },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: data.days },
    yAxis: { type: 'value' },
    series: [{ name: el.getAttribute('data-label') || 'GMV', type: 'bar', data: data.gmv, itemStyle: { color: '#b4232a' } }]
  });
  window.addEventListener('resize', function () { chart.resize(); });
}());
