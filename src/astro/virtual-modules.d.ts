declare module 'virtual:proofsheet/options' {
  const options: import('./options.ts').ProofsheetOptions & { rootDir: string };
  export default options;
}

declare module 'virtual:proofsheet/report' {
  const report: import('./site-report.ts').ReportIndex;
  export default report;
}
