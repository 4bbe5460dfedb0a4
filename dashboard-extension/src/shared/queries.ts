import { graphql } from "./graphql/gql";

export const TokenCreate = graphql(`
  mutation TokenCreate($email: String!, $password: String!) {
    tokenCreate(email: $email, password: $password) {
      token
      accountErrors { field message code }
    }
  }
`);

export const TokenRefresh = graphql(`
  mutation TokenRefresh($token: String!) {
    tokenRefresh(token: $token) { token }
  }
`);

export const Me = graphql(`
  query Me {
    me { id email firstName lastName isStaff userPermissions { code name } }
  }
`);
