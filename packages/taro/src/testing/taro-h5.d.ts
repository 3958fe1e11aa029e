/** Taro's H5 library (a peer dependency of the test entries); typed only as a namespace of values. */
declare module '@tarojs/taro-h5' {
  const Taro: Record<string, unknown>;
  export default Taro;
}
