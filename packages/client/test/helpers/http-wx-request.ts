/**
 * A `wx.request` implemented over real HTTP (`node:http`), behaving like the base library's: `data` objects are sent
 * as JSON, the reply is JSON-parsed when `dataType` is `json` (the default) or always (`parsing: 'always'`, like a
 * runtime or mock that ignores `dataType`), failures are `request:fail <reason>`, `request:fail timeout` after
 * `timeout` ms, and the returned RequestTask can be aborted.
 */
import { request as httpRequest } from 'node:http';

/** Whether the reply body is JSON-parsed only for `dataType: 'json'` (the base library) or always. */
export type JsonParsing = 'base library' | 'always';

/** The options this wx.request understands (the base library's names). */
export interface HttpWxRequestOption {
  url: string;
  method?: string;
  header?: Record<string, string>;
  data?: unknown;
  dataType?: string;
  timeout?: number;
  success?: (res: { statusCode: number; data: unknown; header: Record<string, unknown>; errMsg: string }) => void;
  fail?: (err: { errMsg: string }) => void;
  complete?: (res: { errMsg: string }) => void;
}

/** A wx.request and counters of what it did. */
export interface HttpWxRequest {
  request: (option: HttpWxRequestOption) => { abort(): void };
  stats: { requests: number; aborted: number };
}

/** Builds a wx.request over node:http. */
export function httpWxRequest(parsing: JsonParsing = 'base library'): HttpWxRequest {
  const stats = { requests: 0, aborted: 0 };
  const request = (option: HttpWxRequestOption) => {
    stats.requests += 1;
    let settled = false;
    const fail = (errMsg: string) => {
      if (settled) return;
      settled = true;
      option.fail?.({ errMsg });
      option.complete?.({ errMsg });
    };
    const header: Record<string, string> = { ...option.header };
    let body: string | undefined;
    if (option.data !== undefined && option.method !== 'GET') {
      body = typeof option.data === 'string' ? option.data : JSON.stringify(option.data);
      if (typeof option.data !== 'string' && !Object.keys(header).some((k) => k.toLowerCase() === 'content-type')) {
        header['content-type'] = 'application/json';
      }
    }
    const req = httpRequest(option.url, { method: option.method ?? 'GET', headers: header }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => fail(`request:fail ${error.message}`));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        const text = Buffer.concat(chunks).toString('utf8');
        let data: unknown = text;
        if (parsing === 'always' || (option.dataType ?? 'json') === 'json') {
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
        }
        const result = { statusCode: res.statusCode ?? 0, data, header: { ...res.headers }, errMsg: 'request:ok' };
        option.success?.(result);
        option.complete?.(result);
      });
    });
    req.setTimeout(option.timeout ?? 60_000, () => {
      req.destroy();
      fail('request:fail timeout');
    });
    req.on('error', (error) => fail(`request:fail ${error.message}`));
    if (body !== undefined) req.write(body);
    req.end();
    return {
      abort() {
        stats.aborted += 1;
        req.destroy();
        fail('request:fail abort');
      },
    };
  };
  return { request, stats };
}
