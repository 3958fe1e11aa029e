/** Taro's H5 API library (a peer dependency, present in every Taro H5 app); only what the override touches is typed. */
declare module '@tarojs/plugin-platform-h5/dist/runtime/apis/index.js' {
  const Taro: Record<string, unknown>;
  export default Taro;
  export function canIUse(scheme?: string): boolean;
}
