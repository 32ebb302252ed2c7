/** The parts of a Lambda function URL event and result this handler uses (payload format 2.0). */
export interface LambdaFunctionURLEvent {
  readonly rawPath: string;
  readonly headers?: Record<string, string | undefined>;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}

export interface LambdaFunctionURLResult {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}
