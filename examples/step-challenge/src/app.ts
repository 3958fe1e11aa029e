import { type PropsWithChildren } from 'react';
import Taro, { useLaunch } from '@tarojs/taro';
import './app.css';

/** The app shell: cloud development is initialised once, as in any WeChat mini program with cloud functions. */
function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    Taro.cloud.init({ traceUser: true });
  });
  return children;
}

export default App;
