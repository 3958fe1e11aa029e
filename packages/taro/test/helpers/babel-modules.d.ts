/** The little of @babel/core and babel-plugin-transform-taroapi the transform tests use (neither ships types). */
declare module '@babel/core' {
  export function transformAsync(
    code: string,
    options: { filename: string; babelrc: boolean; configFile: boolean; plugins: unknown[] },
  ): Promise<{ code?: string | null } | null>;
}
declare module 'babel-plugin-transform-taroapi' {
  const plugin: unknown;
  export default plugin;
}
