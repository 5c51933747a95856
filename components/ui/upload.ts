/**
 * Sends a body with XMLHttpRequest (fetch cannot report upload progress) and resolves with the
 * status and the parsed JSON answer. `onProgress` gets 0–1 while the body goes out, then 1.
 */
export function sendWithProgress(
  url: string,
  body: XMLHttpRequestBodyInit,
  opts: { contentType?: string; onProgress?: (sent: number) => void; onSent?: () => void } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    if (opts.contentType) xhr.setRequestHeader('content-type', opts.contentType);
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable) opts.onProgress?.(ev.loaded / ev.total);
    };
    xhr.upload.onload = () => {
      opts.onProgress?.(1);
      opts.onSent?.();
    };
    xhr.onload = () => {
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: the status alone tells.
      }
      resolve({ status: xhr.status, body: parsed });
    };
    xhr.onerror = () => resolve({ status: 0, body: {} });
    xhr.send(body);
  });
}
