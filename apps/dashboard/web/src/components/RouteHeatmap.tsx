import { useEffect, useMemo, useRef } from 'react';
import { decodePolyline } from '@runnerly/strava/polyline';
import { api, type Routes } from '../api.js';
import { plural } from '../lib/glance-format.js';
import { areaSize, boundsOf, fitBounds, mainCluster, mercator } from '../lib/route-heat.js';
import { formatDistance, type Unit } from '../lib/units.js';
import { useResource } from '../useResource.js';
import { Empty, ErrorPanel, Loading } from './States.js';

/** Every route, drawn on top of each other in the browser: no map tiles, no third-party anything. */
export function RouteHeatmap({ unit, version }: { unit: Unit; version: number }) {
  const routes = useResource(() => api.routes(), [version]);
  return (
    <section aria-labelledby="where-title" className="card" data-testid="where">
      <h2 id="where-title">Where you run</h2>
      {routes.state === 'error' && (
        <ErrorPanel title="Your routes could not load" error={routes.error} onRetry={routes.reload} />
      )}
      {routes.data === undefined && routes.state === 'loading' && <Loading label="Tracing your routes…" />}
      {routes.data && <Heat data={routes.data} unit={unit} />}
    </section>
  );
}

function Heat({ data, unit }: { data: Routes; unit: Unit }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { drawn, all, bounds } = useMemo(() => {
    const projected = data.routes
      .map((route) => decodePolyline(route.polyline).map(mercator))
      .filter((points) => points.length > 1);
    const cluster = mainCluster(projected);
    return { drawn: cluster, all: projected.length, bounds: boundsOf(cluster) };
  }, [data]);

  useEffect(() => {
    const node = canvas.current;
    if (!node || !bounds) return;
    const draw = () => {
      const ratio = window.devicePixelRatio || 1;
      const width = node.clientWidth;
      const height = node.clientHeight;
      node.width = Math.round(width * ratio);
      node.height = Math.round(height * ratio);
      const context = node.getContext('2d');
      if (!context) return;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.fillStyle = '#1c1b1a';
      context.fillRect(0, 0, width, height);
      const { scale, dx, dy } = fitBounds(bounds, width, height, 10);
      // Additive blending: where routes overlap, the colour builds up towards white.
      context.globalCompositeOperation = 'lighter';
      context.strokeStyle = `rgba(255, 110, 40, ${Math.max(0.08, Math.min(0.6, 6 / Math.sqrt(drawn.length + 1)))})`;
      context.lineWidth = 1.5;
      context.lineJoin = 'round';
      context.lineCap = 'round';
      for (const route of drawn) {
        context.beginPath();
        route.forEach(([x, y], i) => {
          const px = x * scale + dx;
          const py = y * scale + dy;
          if (i === 0) context.moveTo(px, py);
          else context.lineTo(px, py);
        });
        context.stroke();
      }
      context.globalCompositeOperation = 'source-over';
    };
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(node);
    return () => observer.disconnect();
  }, [bounds, drawn]);

  if (all === 0) {
    return <Empty title="No routes yet">Runs recorded with GPS are drawn here, on top of each other.</Empty>;
  }
  const size = bounds ? areaSize(bounds) : { width: 0, height: 0 };
  const hidden = data.privacyMeters;
  const summary = `${plural(drawn.length, 'route')} drawn over an area of about ${formatDistance(size.width, unit, 1)} by ${formatDistance(size.height, unit, 1)}${all > drawn.length ? `; ${plural(all - drawn.length, 'route')} elsewhere not shown` : ''}.`;
  return (
    <>
      <canvas ref={canvas} className="route-heat" role="img" aria-label={`Your routes: ${summary}`} />
      <p className="muted" data-testid="where-summary">
        {summary}
      </p>
      <p className="muted small-print">
        For your privacy the first and last {unit === 'km' ? `${hidden} m` : `${Math.round(hidden * 1.0936)} yd`} of
        each route are left out.
      </p>
    </>
  );
}
