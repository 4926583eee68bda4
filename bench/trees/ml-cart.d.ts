// ml-cart ships no type declarations; the part of its API the benchmark uses.
declare module "ml-cart" {
  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: "gini"; maxDepth?: number; minNumSamples?: number });
    train(x: number[][], y: number[]): void;
    predict(x: number[][]): number[];
  }
}
