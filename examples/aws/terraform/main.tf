# The source material's production setup: an ALB terminates TLS and routes /ws to a target group
# of WebSocket servers. Two of its settings hurt long-lived connections (on purpose, for the demo).

resource "aws_lb" "chat" {
  name               = "chat"
  load_balancer_type = "application"
  subnets            = var.public_subnets
  idle_timeout       = var.idle_timeout
}

resource "aws_lb_target_group" "api" {
  name     = "chat-api"
  port     = 8080
  protocol = "HTTP"
  vpc_id   = var.vpc_id
}

resource "aws_lb_target_group" "realtime" {
  name                          = "chat-realtime"
  port                          = 9000
  protocol                      = "HTTP"
  vpc_id                        = var.vpc_id
  load_balancing_algorithm_type = "least_outstanding_requests"
  deregistration_delay          = 60

  health_check {
    path    = "/healthz"
    matcher = "200"
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.chat.arn
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

resource "aws_lb_listener_rule" "websocket" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 10

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.realtime.arn
  }

  condition {
    path_pattern {
      values = ["/ws/*"]
    }
  }
}
