/**
 * The backend half of the mini-program tests: a real HTTP server whose `POST /steps` takes `{code, encryptedData, iv}`,
 * exchanges the code with `@openrun/server-sdk` against the platform and decrypts today's steps.
 */
import { WeChatMiniProgram } from '@openrun/server-sdk';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening backend. */
export interface StepBackend {
  url: string;
  close(): Promise<void>;
}

/** Starts the backend on 127.0.0.1:0 for one app of the platform at `platformUrl`. */
export async function startStepBackend(platformUrl: string, app: { appid: string; secret: string }): Promise<StepBackend> {
  const wechat = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platformUrl });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          if (req.method !== 'POST' || req.url !== '/steps') throw new Error(`no route ${req.method} ${req.url}`);
          const { code, encryptedData, iv } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, string>;
          const { sessionKey } = await wechat.code2Session(code!);
          const snapshot = wechat.decryptWeRunData(sessionKey, encryptedData!, iv!);
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ today: snapshot.stepInfoList.at(-1)?.step }));
        } catch (error) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
