/// <reference types="@tarojs/taro" />

declare namespace NodeJS {
  interface ProcessEnv {
    TARO_ENV: 'weapp' | 'qq' | 'h5' | 'swan' | 'alipay' | 'tt' | 'jd' | 'quickapp' | 'harmony' | 'rn';
    /** Absolute URL of the backend for mini-program builds; H5 builds call `/api` on their own origin. */
    TARO_APP_BACKEND_URL?: string;
  }
}
declare module '*.css';
