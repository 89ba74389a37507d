declare module '*.svg' {
  const value: string;
  export default value;
}

declare module '*.wasm' {
  /** URL of the emitted asset (webpack `asset/resource`). */
  const url: string;
  export default url;
}
