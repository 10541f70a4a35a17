/**
 * Which WebGL2 renderer this page has, without loading gpu.js: the hint "auto"
 * needs to prefer gpu.js's webgl2 mode on a real GPU and to pass over a
 * software rasterizer (SwiftShader, llvmpipe), which is slower than the CPU
 * backend.
 */

export interface WebGl2Renderer {
  readonly renderer: string;
  readonly software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

/** Whether a renderer string names a software rasterizer. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE.test(renderer);
}

/** The WebGL2 renderer of this page, or undefined where there is no WebGL2 (Node, an old browser). */
export function webGl2Renderer(): WebGl2Renderer | undefined {
  const g = globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: string): unknown }; document?: { createElement(tag: string): { getContext(kind: string): unknown } } };
  let gl: WebGL2RenderingContext | null = null;
  try {
    const canvas = g.OffscreenCanvas ? new g.OffscreenCanvas(1, 1) : g.document?.createElement('canvas');
    gl = (canvas?.getContext('webgl2') as WebGL2RenderingContext | null | undefined) ?? null;
  } catch {
    return undefined;
  }
  if (!gl) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown');
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { renderer, software: isSoftwareRenderer(renderer) };
}
